"""The bad files every way into an import must refuse with one clear message: shared by the
command-line, web and reader tests so that each front end is held to the same set."""

from __future__ import annotations

import io
import zipfile

import openpyxl


def bad_uploads(good_csv: str) -> dict[str, bytes]:
    """File name -> bytes: empty, a truncated workbook, a PDF renamed .xlsx, ``good_csv`` in
    UTF-16 without a byte-order mark, and a zip bomb dressed as a workbook."""
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 2**20))
    return {
        "empty.csv": b"",
        "truncated.xlsx": workbook.getvalue()[:900],
        "renamed.xlsx": b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
        "utf16-without-bom.csv": good_csv.encode("utf-16-le"),
        "bomb.xlsx": bomb.getvalue(),
    }
