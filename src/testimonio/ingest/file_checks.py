"""Accept a file by what it is, not what it is called, and refuse what could hurt us.

The type comes from the file's bytes (the ``filetype`` library's signatures, plus a look inside
ZIP containers for Office documents); a PDF renamed ``.xlsx`` is a PDF. Archives are checked
before anything unpacks them: total unpacked size, compression ratio (zip bombs) and nesting.
Every refusal names the file and says what is allowed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import filetype

from testimonio.errors import InputError

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    # Excel 97-2003: old XLSForms and volunteers' spreadsheets still come this way.
    "application/vnd.ms-excel": "xls",
    "image/jpeg": "jpg",
    "image/png": "png",
    "text/plain": "txt",
    "text/csv": "csv",
}
ARCHIVE_TYPES = {"docx", "xlsx"}


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 100.0
    max_members: int = 10_000


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


def check_file(data: bytes, name: str, limits: Limits | None = None) -> FileKind:
    """The file's real type, or an InputError naming the file and what is wrong."""
    limits = limits or Limits()
    if not data:
        raise InputError("the file is empty", file=name)
    if len(data) > limits.max_bytes:
        raise InputError(f"the file is larger than {limits.max_bytes // 2**20} MB", file=name)
    kind = _sniff(data, name)
    if kind.extension in ARCHIVE_TYPES:
        _check_archive(data, name, limits)
    return kind


def _sniff(data: bytes, name: str) -> FileKind:
    guess = filetype.guess(data)
    if guess is not None:
        if guess.mime not in ALLOWED_TYPES:
            raise InputError(
                f"files of type {guess.mime} are not accepted; {_allowed()}", file=name
            )
        return FileKind(guess.mime, ALLOWED_TYPES[guess.mime])
    if data[:4] == b"PK\x03\x04":
        raise InputError(f"this archive is not a Word or Excel document; {_allowed()}", file=name)
    if _is_text(data):
        mime = "text/csv" if name.lower().endswith(".csv") else "text/plain"
        return FileKind(mime, ALLOWED_TYPES[mime])
    raise InputError(f"the file's type was not recognised; {_allowed()}", file=name)


def _check_archive(data: bytes, name: str, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError):
        raise InputError("the document is damaged or truncated", file=name) from None
    if len(members) > limits.max_members:
        raise InputError("the document holds too many parts", file=name)
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if unpacked > limits.max_unpacked_bytes or unpacked / packed > limits.max_ratio:
        raise InputError("the document unpacks to far more than its size (a zip bomb?)", file=name)
    if any(m.filename.lower().endswith((".zip", ".docx", ".xlsx", ".jar")) for m in members):
        raise InputError(
            "the document contains further archives, which are not accepted", file=name
        )


def _is_text(data: bytes) -> bool:
    """Text in any common encoding: UTF-16 with its BOM, or bytes without NULs and with almost
    no control characters (UTF-8, Latin-1, Windows-1252 ...; readers detect which)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls <= len(sample) // 100


def _allowed() -> str:
    return "accepted: " + ", ".join(sorted(set(ALLOWED_TYPES.values())))
