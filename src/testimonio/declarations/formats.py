"""Which reader a file needs, decided by its bytes (the name only for plain text).

A file is never trusted by its extension: a ".pdf" that is a ZIP, or a ".docx" that is an old
Word 97 file, gets a message saying what it is and what to do.
"""

from __future__ import annotations

import io
import zipfile

import filetype

from testimonio.errors import InputError

__all__ = ["FORMATS", "detect_format"]

FORMATS = ("pdf", "image", "docx", "txt")
IMAGE_TYPES = {"image/png", "image/jpeg", "image/tiff"}
TEXT_SUFFIXES = (".txt", ".text")
OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_format(data: bytes, filename: str) -> str:
    """One of :data:`FORMATS`; InputError naming the file for anything else."""
    if not data:
        raise InputError("the file is empty", file=filename)
    if data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    mime = filetype.guess_mime(data)
    if mime in IMAGE_TYPES:
        return "image"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, filename)
    if data.startswith(OLD_WORD):
        raise InputError(
            "this is an old Word (.doc) file; save it as DOCX or PDF and upload it again",
            file=filename,
        )
    if filename.lower().endswith(TEXT_SUFFIXES) and b"\x00" not in data[:4096]:
        return "txt"
    raise InputError(
        f"unsupported type ({mime or 'unknown'}): declarations are read from PDF, DOCX, "
        "TXT, PNG, JPEG or TIFF",
        file=filename,
    )


def _zip_format(data: bytes, filename: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as error:
        raise InputError("the file is a damaged ZIP or DOCX", file=filename) from error
    if "word/document.xml" in names:
        return "docx"
    raise InputError(
        "unsupported type (a ZIP archive that is not a Word document): declarations are "
        "read from PDF, DOCX, TXT, PNG, JPEG or TIFF",
        file=filename,
    )
