"""Reports and exports never write a cell a spreadsheet would execute."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from testimonio.errors import InputError
from testimonio.ingest.report import safe_cell, write_report, write_rows
from testimonio.ingest.validation import RowError

ERROR = RowError("lista.csv", "", 7, "=cmd|' /C calc'!A0", "port", "expected a known port of entry")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_a_spreadsheet_would_execute_is_prefixed_with_a_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Ana", "", "1-2", 42, -3, None])
def test_harmless_values_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_the_xlsx_report_holds_no_formula(tmp_path: Path) -> None:
    write_report([ERROR], tmp_path / "report.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx").active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("file", "sheet", "row", "column", "field", "problem")
    assert rows[1][3] == "'=cmd|' /C calc'!A0"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_csv_report_opens_in_excel_and_holds_no_formula(tmp_path: Path) -> None:
    write_report([ERROR], tmp_path / "report.csv")
    with (tmp_path / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == [
        "lista.csv",
        "",
        "7",
        "'=cmd|' /C calc'!A0",
        "port",
        "expected a known port of entry",
    ]


def test_a_report_in_another_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^r\.pdf: a report is written as \.xlsx or \.csv$"):
        write_rows(["a"], [], tmp_path / "r.pdf")
