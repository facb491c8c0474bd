"""Uploads stay in memory, up to the configured limit, never touch the disk in the clear, and
are accepted as documents by what they are.

Django's default handlers spool large uploads to plaintext temporary files; a declaration in
/tmp survives a crash and outlives any erasure. This handler keeps the upload in memory and
skips a file larger than TESTIMONIO_MAX_UPLOAD_MB, so the form reports it as too large.

A document is a PDF, a Word (DOCX) file, a JPEG or PNG image, or plain text, judged by its
bytes (:func:`check_document`); a name that claims another type (a CSV renamed ``.pdf``) is
refused, and lists (CSV, spreadsheets) belong to the import, not the evidence store.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from testimonio.config import load_config
from testimonio.errors import InputError
from testimonio.ingest import FileKind, Limits, check_file

TOO_LARGE = "testimonio_upload_too_large"
#: What a document may be, by its content: the kind check_file finds -> how it is named.
DOCUMENT_KINDS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "jpg": "JPEG image",
    "png": "PNG image",
    "txt": "plain text",
}
#: File name endings that claim a document kind; the content must agree.
CLAIMED_KINDS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".jpg": "jpg",
    ".jpeg": "jpg",
    ".png": "png",
    ".txt": "txt",
}
ACCEPTED = "documents accepted: " + ", ".join(DOCUMENT_KINDS.values())


def check_document(data: bytes, name: str, limits: Limits | None = None) -> FileKind:
    """The document's type by its bytes; InputError if it is not a document we accept or its
    name says it is something else (whoever opens a ``.pdf`` expects a PDF)."""
    kind = check_file(data, name, limits)
    if kind.extension not in DOCUMENT_KINDS:
        raise InputError(
            f"this is a {kind.extension} file, a list rather than a document: bring lists in "
            f"on the Imports page; {ACCEPTED}",
            file=name,
        )
    claimed = CLAIMED_KINDS.get(PurePath(name).suffix.lower())
    if claimed is not None and claimed != kind.extension:
        raise InputError(
            f"the file is named as {DOCUMENT_KINDS[claimed]} but its content is "
            f"{DOCUMENT_KINDS[kind.extension]}; {ACCEPTED}",
            file=name,
        )
    return kind


class LimitedMemoryUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.limit = load_config().max_upload_mb * 1024 * 1024

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            if self.request is not None:
                setattr(self.request, TOO_LARGE, True)
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
