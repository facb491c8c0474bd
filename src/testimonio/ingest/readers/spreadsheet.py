"""Read every sheet of an Excel workbook with python-calamine, as text.

calamine (Rust) reads a 100,000-row sheet about ten times faster than openpyxl. Cells become
the text a person would type: whole numbers without ``.0`` (so a year of birth stays ``1994``,
an id ``12`` not ``12.0``), dates as ISO ``YYYY-MM-DD`` (with the time only when there is one).
"""

from __future__ import annotations

import datetime as dt
import io

from python_calamine import CalamineError, CalamineWorkbook

from testimonio.errors import InputError
from testimonio.ingest.tables import Table

__all__ = ["cell_text", "read_workbook"]


def read_workbook(data: bytes, name: str) -> list[Table]:
    """One table per non-empty sheet; InputError naming the file if it cannot be read."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        tables = [_read_sheet(workbook, sheet, name) for sheet in workbook.sheet_names]
    except (CalamineError, ValueError, OSError) as error:
        raise InputError(
            f"the workbook is damaged or truncated and cannot be read ({type(error).__name__})",
            file=name,
        ) from None
    tables = [table for table in tables if table.header]
    if not tables:
        raise InputError("the workbook has no data in any sheet", file=name)
    return tables


def _read_sheet(workbook: CalamineWorkbook, sheet: str, name: str) -> Table:
    header: list[str] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, values in enumerate(workbook.get_sheet_by_name(sheet).iter_rows(), start=1):
        # Most cells are text already: take them as they are, without a call each.
        cells = [value if type(value) is str else cell_text(value) for value in values]
        if not any(cells):
            continue
        if not header:
            header = [cell.strip() for cell in cells]
            continue
        rows.append(cells)
        numbers.append(number)
    return Table(file=name, sheet=sheet, header=header, rows=rows, row_numbers=numbers)


def cell_text(value: object) -> str:
    """The text a person would have typed for a calamine cell value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
