"""The XLSX appendix: every table of the packet on its own sheet, plus an index sheet.

XlsxWriter dates the file from the ``created`` property (set from the snapshot, never the
clock), so the same packet gives the same workbook. Values are written as strings, exactly as
formatted in the packet, so no cell is ever read as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from testimonio.reporting.packet.content import PacketContent

__all__ = ["write_xlsx"]


def sheet_name(number: int, table_id: str) -> str:
    return f"{number:02d} {table_id}"[:31]


def write_xlsx(content: PacketContent, target: Path, when: dt.datetime) -> None:
    workbook = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False,
                                                 "strings_to_urls": False})  # fmt: skip
    workbook.set_properties(
        {"title": content.title, "author": "Testimonio", "comments": content.snapshot_sha256,
         "created": when.replace(tzinfo=None)}
    )  # fmt: skip
    bold = workbook.add_format({"bold": True})
    index = workbook.add_worksheet("index")
    index.write_row(0, 0, ["Sheet", "Table", "Note"], bold)
    for number, table in enumerate(content.tables(), start=1):
        name = sheet_name(number, table.id)
        index.write_row(number, 0, [name, table.title, table.note])
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, list(table.columns), bold)
        for row_number, row in enumerate(table.rows, start=1):
            for column, cell in enumerate(row):
                sheet.write_string(row_number, column, cell)
    workbook.close()
