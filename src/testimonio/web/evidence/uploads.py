"""Uploads stay in memory, up to the configured limit, and never touch the disk in the clear.

Django's default handlers spool large uploads to plaintext temporary files; a declaration in
/tmp survives a crash and outlives any erasure. This handler keeps the upload in memory and
skips a file larger than TESTIMONIO_MAX_UPLOAD_MB, so the form reports it as too large.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from testimonio.config import load_config

TOO_LARGE = "testimonio_upload_too_large"


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
