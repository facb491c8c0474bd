"""Each bad file gives one clear InputError naming the file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from testimonio.errors import InputError
from testimonio.ingest.file_checks import Limits
from testimonio.ingest.readers import read_bytes, read_path


def workbook_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["nombre"])
    sheet.append(["Ana"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(InputError, match=r"^lista\.csv: the file is empty$"):
        read_bytes(b"", "lista.csv")


def test_a_file_of_only_blank_lines_is_refused() -> None:
    with pytest.raises(InputError, match=r"^lista\.csv: the file has no text$"):
        read_bytes(b"\n\n  \n", "lista.csv")


def test_a_truncated_workbook_is_refused() -> None:
    data = workbook_bytes()
    with pytest.raises(
        InputError, match=r"^cut\.xlsx: .*(damaged|truncated|not recognised|not a Word)"
    ):
        read_bytes(data[: len(data) // 2], "cut.xlsx")


def test_a_pdf_renamed_xlsx_is_refused_as_a_pdf() -> None:
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    with pytest.raises(InputError, match=r"^lista\.xlsx: this is a pdf file, not a table"):
        read_bytes(pdf, "lista.xlsx")


def test_a_file_in_another_encoding_than_stated_is_refused_naming_the_line() -> None:
    data = "nombre\nAna\nJosé\n".encode("cp1252")
    with pytest.raises(InputError, match=r"^lista\.csv, row 3: the file is not in utf-8"):
        read_bytes(data, "lista.csv", encoding="utf-8")


def test_binary_content_named_csv_is_refused() -> None:
    with pytest.raises(
        InputError, match=r"^lista\.csv: .*(not recognised|not text|control characters)"
    ):
        read_bytes(bytes(range(1, 32)) * 50, "lista.csv")


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"a\n" + b"1\n" * 600_000)
    with pytest.raises(InputError, match=r"^big\.csv: the file is larger than 1 MB$"):
        read_path(path, limits=Limits(max_bytes=2**20))


def test_a_zip_bomb_disguised_as_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 2**20))
    with pytest.raises(InputError, match=r"^lista\.xlsx: .*zip bomb"):
        read_bytes(buffer.getvalue(), "lista.xlsx")


def test_a_row_longer_than_the_header_is_refused_naming_its_row() -> None:
    with pytest.raises(InputError, match=r"^x\.csv, row 3: this row has 3 cells"):
        read_bytes(b"a,b\n1,2\n1,2,3\n", "x.csv")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^nada\.csv: file not found$"):
        read_path(tmp_path / "nada.csv")
