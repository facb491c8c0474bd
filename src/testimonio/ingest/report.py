"""The validation report a paralegal opens in Excel, and cells that are safe to export.

Spreadsheets execute a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, after a
leading tab or carriage return): a name typed as ``=HYPERLINK(...)`` in a shelter's survey must
not become a live link in our report. :func:`safe_cell` prefixes such text with ``'`` so it is
shown as text; every exported cell goes through it. The report names file, sheet, row and
column and what was expected, never the value found.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from testimonio.errors import InputError
from testimonio.ingest.validation import RowError

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "REPORT_COLUMNS",
    "report_xlsx",
    "rows_as_bytes",
    "safe_cell",
    "write_report",
    "write_rows",
]

REPORT_COLUMNS = ("file", "sheet", "row", "column", "field", "problem")
_DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value, with text a spreadsheet would execute turned into plain text."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_STARTS):
        return "'" + value
    return value


def write_report(errors: Iterable[RowError], path: Path) -> None:
    """Write one line per problem as ``.xlsx`` or ``.csv`` (by the path's suffix)."""
    write_rows(REPORT_COLUMNS, _report_rows(errors), path)


def report_xlsx(errors: Iterable[RowError]) -> bytes:
    """The same report as ``.xlsx`` bytes, for a download that never touches the disk."""
    return rows_as_bytes(REPORT_COLUMNS, _report_rows(errors), ".xlsx")


def _report_rows(errors: Iterable[RowError]) -> list[tuple[object, ...]]:
    return [(e.file, e.sheet, e.row, e.column, e.field, e.problem) for e in errors]


def write_rows(header: Sequence[str], rows: Iterable[Sequence[object]], path: Path) -> None:
    """Export any table safely as CSV (UTF-8 with BOM, which Excel opens) or XLSX."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            _write_csv(header, rows, handle)
    elif suffix == ".xlsx":
        _workbook(header, rows).save(path)
    else:
        raise InputError("a report is written as .xlsx or .csv", file=path.name)


def rows_as_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], suffix: str) -> bytes:
    """The same safe table as :func:`write_rows`, in memory (a download never touches disk)."""
    if suffix == ".csv":
        text = io.StringIO(newline="")
        _write_csv(header, rows, text)
        return text.getvalue().encode("utf-8-sig")
    if suffix == ".xlsx":
        buffer = io.BytesIO()
        _workbook(header, rows).save(buffer)
        return buffer.getvalue()
    raise InputError("a table is written as .xlsx or .csv")


def _write_csv(header: Sequence[str], rows: Iterable[Sequence[object]], handle: IO[str]) -> None:
    writer = csv.writer(handle)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)


def _workbook(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Workbook:
    # Imported here: openpyxl (with numpy) takes half a second to load, and an import that
    # passes validation writes no report.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("report")
    sheet.append([safe_cell(cell) for cell in header])
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    return workbook
