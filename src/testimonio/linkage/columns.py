"""Which column of an arbitrary table holds which identifying field, and reading the tables.

Partners send whatever their intake form exported: "Nombre(s)", "Apellido Paterno", "DOB",
"Fecha de nacimiento", "Sexe", "ZIP Code". We recognise the common English, Spanish, French and
Portuguese headers (an address may be split over street, locality, postcode and region columns),
accept an explicit mapping (``given_name=Nombre``) for the rest, and stop with an error naming
the file and column when a table has nothing we can link on.

:func:`report_columns` says, per file, which column was used for what and how many of its
values could be read (counts and shares, never values), and which problems should stop a run
rather than let it link on names alone without saying so (:attr:`ColumnReport.problems`).

What must always hold: errors and reports name files and columns, never the values in them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from testimonio.errors import InputError, LinkageError
from testimonio.partial_dates import birth_date_reader
from testimonio.vocab.column_headers import FIELDS

__all__ = [
    "ColumnReport",
    "FIELDS",
    "FieldReport",
    "parse_column_mapping",
    "read_table",
    "recognise_columns",
    "report_columns",
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
            f"in English, Spanish, French or Portuguese); name one with --columns "
            f"given_name=COLUMN,surname=COLUMN"
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


# --- The column report: what each column was used for, and how much of it could be read ----

#: Fields read as dates (a value is readable if it gives at least a year).
DATE_FIELDS = ("birth_date", "birth_year", "record_date", "encounter_date")
#: Fields besides names that tell two people apart; with none of them readable on most rows a
#: link rests on names alone, and namesakes merge.
SUPPORT_FIELDS = ("birth_date", "birth_year", "age", "address", "phone")
#: A recognised birth date, birth year or age column of which fewer than this share of its
#: written values can be read is taken for a column we misread, not a column of bad values.
MIN_READABLE_SHARE = 0.5
#: The share of rows that need a readable birth date, year, age, address or phone.
MIN_SUPPORTED_SHARE = 0.5
_CHECKED_FIELDS = ("birth_date", "birth_year", "age")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class FieldReport:
    """One recognised column: what it is used for, how many rows have a value, how many read."""

    field: str
    column: str
    written: int
    readable: int

    @property
    def share(self) -> float:
        """Readable values among the written ones (1.0 when nothing is written)."""
        return self.readable / self.written if self.written else 1.0


@dataclass(frozen=True)
class ColumnReport:
    """What :func:`report_columns` found in one file (counts and shares only)."""

    source: str
    rows: int
    fields: tuple[FieldReport, ...]
    supported_rows: int

    def lines(self) -> list[str]:
        """The report as text lines: one header line and one line per column used."""
        lines = [f"{self.source}: {self.rows:,} rows; columns used:"]
        for item in self.fields:
            lines.append(
                f"  {item.field} <- {item.column!r}: {item.written:,} written, "
                f"{item.readable:,} readable ({item.share:.0%})"
            )
        share = self.supported_rows / self.rows if self.rows else 0.0
        lines.append(
            f"  rows with a readable birth date, birth year, age, address or phone: "
            f"{self.supported_rows:,} ({share:.0%})"
        )
        return lines

    def problems(self) -> list[str]:
        """Why linking this file would silently rest on too little, one sentence each."""
        found = []
        for item in self.fields:
            if item.field in _CHECKED_FIELDS and item.written and item.share < MIN_READABLE_SHARE:
                kind = "ages" if item.field == "age" else "dates"
                found.append(
                    f"{self.source}, column {item.column!r} ({item.field}): only "
                    f"{item.readable:,} of {item.written:,} written values ({item.share:.0%}) "
                    f"could be read as {kind}"
                )
        if self.rows and self.supported_rows / self.rows < MIN_SUPPORTED_SHARE:
            found.append(
                f"{self.source}: only {self.supported_rows:,} of {self.rows:,} rows have a "
                f"readable birth date, birth year, age, address or phone; the link would rest "
                f"on names alone"
            )
        return found


def report_columns(frame: pd.DataFrame, columns: Mapping[str, str], *, source: str) -> ColumnReport:
    """Count, per recognised column, the rows with a value and the values that can be read.

    Dates are read as the linkage reads them (:func:`~testimonio.partial_dates.birth_date_reader`,
    decided per column), so a count here is what the model will get.
    """
    fields = []
    supported = np.zeros(len(frame), dtype=bool)
    for field, column in columns.items():
        if field == "record_id":
            continue
        text = frame[column].fillna("").astype(str).str.strip()
        written = (text != "").to_numpy()
        readable = written & _readable(field, text).to_numpy()
        if field in SUPPORT_FIELDS:
            supported |= readable
        fields.append(FieldReport(field, column, int(written.sum()), int(readable.sum())))
    return ColumnReport(source, len(frame), tuple(fields), int(supported.sum()))


def _readable(field: str, text: pd.Series) -> pd.Series:
    """Whether each value can be used for ``field`` (each distinct value judged once)."""
    distinct = text.drop_duplicates()
    if field in DATE_FIELDS:
        read = birth_date_reader(distinct)
        lookup = {value: read(value).year is not None for value in distinct}
    elif field == "age":
        ages = pd.to_numeric(distinct, errors="coerce")
        lookup = dict(zip(distinct, ages.between(0, 120).to_numpy(), strict=True))
    elif field in NAME_FIELDS or field == "maternal_surname":
        lookup = {value: bool(_LETTER.search(value)) for value in distinct}
    else:
        return text != ""
    return text.map(lookup).astype(bool)
