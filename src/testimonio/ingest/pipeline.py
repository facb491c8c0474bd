"""Read, map and validate one file: the steps the command line and the web upload share.

Both front ends do the same thing between a file's bytes and :func:`do_import_rows`: read the
file (checked by its bytes first), pick the sheet, take the given mapping profile or propose
one, and validate every row. Keeping that sequence here means a file the CLI refuses is refused
by the web with the same message, and a profile reviewed in one works in the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from testimonio.ingest.file_checks import Limits
from testimonio.ingest.mapping import MappingProfile, propose_mapping
from testimonio.ingest.readers import read_bytes, read_path
from testimonio.ingest.tables import SourceFile, Table
from testimonio.ingest.validation import (
    CHUNK_ROWS,
    ChunkValidator,
    RowError,
    ValidatedRow,
    validate_table,
)
from testimonio.vocab.bundle import Bundle

__all__ = [
    "CheckedTable",
    "check_table",
    "describe",
    "limits",
    "read_file",
    "read_upload",
    "select_table",
]


@dataclass
class CheckedTable:
    """One table of a file, the profile applied to it, and what validation made of it.

    ``rows`` is empty when the check only counted them (``keep_rows=False``): then
    ``valid_rows`` says how many passed.
    """

    source_file: SourceFile
    table: Table
    profile: MappingProfile
    rows: list[ValidatedRow]
    errors: list[RowError]
    valid_rows: int = -1

    def __post_init__(self) -> None:
        if self.valid_rows < 0:
            self.valid_rows = len(self.rows)

    @property
    def failed_rows(self) -> int:
        return len({(error.sheet, error.row) for error in self.errors})


def limits(max_upload_mb: int) -> Limits:
    """The file checks' limits for the instance's configured upload size."""
    return Limits(max_bytes=max_upload_mb * 2**20)


def read_file(path: Path, max_upload_mb: int) -> SourceFile:
    """Read a file from disk (the CLI); InputError with one clear message if it is refused."""
    return read_path(path, limits=limits(max_upload_mb))


def read_upload(data: bytes, name: str, max_upload_mb: int) -> SourceFile:
    """Read an upload held in memory (the web); the same checks and messages as a file."""
    return read_bytes(data, name, limits=limits(max_upload_mb))


def select_table(
    source_file: SourceFile, sheet: str | None, profile: MappingProfile | None
) -> Table:
    """The sheet asked for, else the profile's, else the first."""
    return source_file.table(sheet or (profile.sheet if profile else None))


def check_table(
    source_file: SourceFile,
    vocabulary: Bundle,
    *,
    source_name: str,
    sheet: str | None = None,
    profile: MappingProfile | None = None,
    keep_rows: bool = True,
    on_chunk: Callable[[list[ValidatedRow]], None] | None = None,
) -> CheckedTable:
    """Validate the chosen table under ``profile`` (proposed from the table when None).

    With ``keep_rows=False`` the valid rows are only counted, a chunk at a time, and never
    held together: a validated row takes about ten times the memory of its cells, and a page
    that shows counts and the first problems needs none of them. ``on_chunk`` sees each
    chunk's valid rows before they are dropped (the web's preview of what would change).
    """
    table = select_table(source_file, sheet, profile)
    if profile is None:
        profile = propose_mapping(table, vocabulary, source=source_name)
    if keep_rows:
        rows, errors = validate_table(table, profile, vocabulary)
        return CheckedTable(source_file, table, profile, rows, errors)
    validator = ChunkValidator(table, profile, vocabulary)
    errors, valid = list(validator.missing), 0
    if not errors:
        for start in validator.starts(CHUNK_ROWS):
            chunk, chunk_errors = validator.validate(start, start + CHUNK_ROWS)
            if on_chunk is not None:
                on_chunk(chunk)
            valid += len(chunk)
            errors += chunk_errors
    return CheckedTable(source_file, table, profile, [], errors, valid_rows=valid)


def describe(source_file: SourceFile) -> str:
    """What was detected about the file, as shown to the user: format, encoding, delimiter."""
    parts = [source_file.format]
    if source_file.encoding:
        parts.append(source_file.encoding)
    if source_file.delimiter:
        parts.append(f"delimiter {_delimiter_name(source_file.delimiter)}")
    return ", ".join(parts)


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tab", ",": "comma (,)", ";": "semicolon (;)", "|": "bar (|)"}.get(
        delimiter, repr(delimiter)
    )
