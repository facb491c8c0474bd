"""Which column of an arbitrary table holds which identifying field, and reading the tables.

Partners send whatever their intake form exported: "Nombre(s)", "Apellido Paterno", "DOB",
"Fecha de nacimiento", "Sexe". We recognise the common English, Spanish and French headers,
accept an explicit mapping (``given_name=Nombre``) for the rest, and stop with an error naming
the file and column when a table has nothing we can link on.

What must always hold: errors name files and columns, never the values in them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from testimonio.errors import InputError, LinkageError
from testimonio.vocab.column_headers import FIELDS

__all__ = [
    "FIELDS",
    "parse_column_mapping",
    "read_table",
    "recognise_columns",
]

#: Fields that can carry a name; a table needs at least one of them to be linked.
NAME_FIELDS = ("given_name", "surname", "paternal_surname", "full_name")

_HEADER_LOOKUP = {header: field for field, headers in FIELDS.items() for header in headers}


def _normalise_header(header: object) -> str:
    text = unicodedata.normalize("NFKD", str(header).strip().lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def recognise_columns(
    headers: Iterable[str], *, file: str, explicit: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map our fields to the table's columns: explicit mapping first, then known headers.

    ``explicit`` maps our field names to the table's column names; a mapped column missing from
    this table is skipped (several files may share one mapping), an unknown field is an error.
    Raises :class:`LinkageError` naming the file when no name column is found.
    """
    headers = list(headers)
    found = _explicit_columns(headers, explicit or {})
    for header in headers:
        field = _HEADER_LOOKUP.get(_normalise_header(header))
        if field is None and "/" in str(header):  # Kobo/ODK group paths: datos/nombres
            field = _HEADER_LOOKUP.get(_normalise_header(str(header).rsplit("/", 1)[1]))
        if field and field not in found and header not in found.values():
            found[field] = header
    if not any(field in found for field in NAME_FIELDS):
        raise LinkageError(
            f"{file}: no name column recognised (looked for given name, surname or full name "
            f"in English, Spanish or French); name one with --columns given_name=COLUMN,"
            f"surname=COLUMN"
        )
    return found


def _explicit_columns(headers: list[str], explicit: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, column in explicit.items():
        if field not in FIELDS:
            raise InputError(
                f"unknown field {field!r} in --columns; use one of {', '.join(sorted(FIELDS))}"
            )
        if column in headers:
            found[field] = column
    return found


def parse_column_mapping(text: str | None) -> dict[str, str]:
    """Parse ``--columns ours=theirs,...`` (our field = the table's column)."""
    mapping: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        ours, separator, theirs = item.partition("=")
        if not separator or not ours.strip() or not theirs.strip():
            raise InputError(
                f"--columns expects ours=theirs pairs separated by commas, not {item!r}"
            )
        mapping[ours.strip()] = theirs.strip()
    return mapping


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or spreadsheet as text (no type guessing that would mangle ids and dates)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    try:
        if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
            frame = pd.read_excel(path, dtype=str, engine="calamine", keep_default_na=False)
        elif suffix in {".csv", ".txt", ".tsv"}:
            frame = pd.read_csv(
                path, dtype=str, sep=_delimiter(path), encoding="utf-8-sig", keep_default_na=False
            )
        else:
            raise InputError("expected a .csv or .xlsx file", file=str(path))
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InputError(
            f"cannot be read as a table ({type(error).__name__})", file=str(path)
        ) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    if frame.empty:
        raise InputError("has no rows", file=str(path))
    return frame


def _delimiter(path: Path) -> str:
    """Comma, semicolon (Spanish-locale Excel) or tab, judged from the header line."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter])
