"""Write the simulator's large spreadsheets with XlsxWriter in constant-memory mode.

openpyxl builds an object per cell and took most of the time of a million-person world;
XlsxWriter streams rows to disk. Dates become real date cells shown ``DD/MM/YYYY`` (so readers
see what a partner's Excel would hold); ``None`` and ``""`` cells are left out, as Excel does.
The document's creation time is fixed, which also fixes the zip entries' times, so the same rows
give the same bytes. Every file is opened with openpyxl in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

#: (sheet name, header, columns): every column holds one value per row
Sheet = tuple[str, Sequence[str], Sequence[Sequence[object]]]

#: A fixed creation time: XlsxWriter stamps both the document properties and the zip with it.
CREATED = datetime(2020, 1, 1)  # noqa: DTZ001 - a naive constant, as XlsxWriter expects
OPTIONS = {
    "constant_memory": True,
    # Values are data, never formulas, numbers or links, whatever they look like.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` (a header row, then one row per index of the columns) to ``path``."""
    workbook = xlsxwriter.Workbook(str(path), OPTIONS)
    workbook.set_properties({"created": CREATED})
    date_format = workbook.add_format({"num_format": "DD/MM/YYYY"})
    for name, header, columns in sheets:
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, list(header))
        for row, values in enumerate(zip(*columns, strict=True), start=1):
            for column, value in enumerate(values):
                _write_cell(sheet, row, column, value, date_format)
    workbook.close()


def _write_cell(
    sheet: xlsxwriter.worksheet.Worksheet,
    row: int,
    column: int,
    value: object,
    date_format: xlsxwriter.format.Format,
) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, column, value)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, column, value, date_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    else:
        sheet.write_number(row, column, float(value))  # type: ignore[arg-type]
