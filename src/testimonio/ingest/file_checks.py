"""Accept a file by what it is, not what it is called, and refuse what could hurt us.

The type comes from the file's bytes (the ``filetype`` library's signatures, plus a look inside
ZIP containers for Office documents); a PDF renamed ``.xlsx`` is a PDF. Archives are checked
before anything unpacks them: total unpacked size, compression ratio (zip bombs) and nesting.
Every refusal names the file and says what is allowed.

A plain ZIP is accepted only where the caller asks for it (``zip_archives=True``: the import
readers, for ODK Central's export of a form's CSVs); it passes the same checks as an Office
document, and :func:`read_member` then unpacks one member at a time without trusting the sizes
the archive declares.
"""

from __future__ import annotations

import io
import zipfile
import zlib
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
ZIP_MIME = "application/zip"
#: Member names that are archives themselves; nesting is how zip bombs multiply.
NESTED_ARCHIVE_SUFFIXES = (
    ".zip",
    ".docx",
    ".xlsx",
    ".jar",
    ".7z",
    ".rar",
    ".gz",
    ".tgz",
    ".tar",
    ".bz2",
    ".xz",
)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 100.0
    max_members: int = 10_000
    #: An XLSX's shared strings table (unpacked): every cell may repeat any of its entries.
    max_shared_strings_bytes: int = 32 * 1024 * 1024
    #: Characters in one cell: Excel's own limit.
    max_cell_chars: int = 32_767
    #: Characters of all the cells of a workbook together, shared strings expanded: what the
    #: readers hold in memory (about 1 byte each for Latin text).
    max_cell_text: int = 64_000_000


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


def check_file(
    data: bytes, name: str, limits: Limits | None = None, *, zip_archives: bool = False
) -> FileKind:
    """The file's real type, or an InputError naming the file and what is wrong.

    With ``zip_archives`` a plain ZIP is accepted as kind ``zip`` once it passes the archive
    checks; what it must hold is for the caller to judge (the readers want an ODK export).
    """
    limits = limits or Limits()
    if not data:
        raise InputError("the file is empty", file=name)
    if len(data) > limits.max_bytes:
        raise InputError(f"the file is larger than {limits.max_bytes // 2**20} MB", file=name)
    if zip_archives and _is_plain_zip(data):
        _check_archive(data, name, limits, what="archive")
        return FileKind(ZIP_MIME, "zip")
    kind = _sniff(data, name)
    if kind.extension in ARCHIVE_TYPES:
        _check_archive(data, name, limits)
    return kind


def open_archive(data: bytes, name: str) -> zipfile.ZipFile:
    """A ZIP already accepted by :func:`check_file`; InputError if it cannot be opened."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError):
        raise InputError("the archive is damaged or truncated", file=name) from None


def read_member(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    name: str,
    limits: Limits,
    *,
    head: int | None = None,
) -> bytes:
    """One member's bytes, unpacked no further than its declared size (which the archive
    checks bounded) and no further than the size limit of a file; ``name`` is shown in errors.
    With ``head``, only its first bytes: enough to know what it is without unpacking it.

    A member that is itself an archive is refused, whatever it is called.
    """
    if head is None and member.file_size > limits.max_bytes:
        raise InputError(f"the file is larger than {limits.max_bytes // 2**20} MB", file=name)
    try:
        with archive.open(member) as handle:
            data = handle.read(member.file_size + 1 if head is None else head)
    except RuntimeError:  # zipfile's word for an encrypted member
        raise InputError(
            "the archive is password-protected; export it again without a password", file=name
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, NotImplementedError):
        raise InputError("the archive is damaged or truncated", file=name) from None
    if len(data) > member.file_size:
        raise InputError("the archive unpacks to far more than its size (a zip bomb?)", file=name)
    if _is_archive(data):
        raise InputError("the archive contains further archives, which are not accepted", file=name)
    return data


def _is_plain_zip(data: bytes) -> bool:
    """A ZIP that is not an Office document (those keep their own kind and checks)."""
    guess = filetype.guess(data)
    return guess is not None and guess.mime == ZIP_MIME


def _is_archive(data: bytes) -> bool:
    """By its bytes: ZIP (so any Office file), gzip, 7z, RAR, tar ... (``filetype``'s list)."""
    return data[:4] in {b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"} or filetype.is_archive(data)


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


def _check_archive(data: bytes, name: str, limits: Limits, what: str = "document") -> None:
    """Refuse, before unpacking anything, an archive too big, too compressed or nested.

    ``what`` is the word the messages use: an Office file is a "document", a ZIP an "archive".
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError):
        raise InputError(f"the {what} is damaged or truncated", file=name) from None
    if len(members) > limits.max_members:
        raise InputError(f"the {what} holds too many parts", file=name)
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if unpacked > limits.max_unpacked_bytes or unpacked / packed > limits.max_ratio:
        raise InputError(f"the {what} unpacks to far more than its size (a zip bomb?)", file=name)
    strings = [m for m in members if m.filename == "xl/sharedStrings.xml"]
    if strings and strings[0].file_size > limits.max_shared_strings_bytes:
        raise InputError(
            f"the {what}'s shared strings table unpacks to more than "
            f"{limits.max_shared_strings_bytes // 2**20} MB",
            file=name,
        )
    if any(m.filename.lower().endswith(NESTED_ARCHIVE_SUFFIXES) for m in members):
        raise InputError(f"the {what} contains further archives, which are not accepted", file=name)


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
