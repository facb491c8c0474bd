"""Files are accepted by their content, and dangerous ones are refused with a clear message."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from testimonio.errors import InputError
from testimonio.ingest.file_checks import Limits, check_file
from tests.reference import FIXTURES

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_spreadsheet_and_a_word_document_are_recognised() -> None:
    assert check_file(workbook_bytes(), "a.xlsx").extension == "xlsx"
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert check_file(buffer.getvalue(), "a.docx").extension == "docx"


def test_a_pdf_renamed_xlsx_is_a_pdf() -> None:
    assert check_file(PDF, "lista.xlsx").content_type == "application/pdf"


def test_utf8_text_is_accepted_as_text() -> None:
    assert check_file("nombre;fecha\nÁna;2018\n".encode(), "lista.csv").extension == "csv"


def test_an_empty_file_is_refused_naming_it() -> None:
    with pytest.raises(InputError, match=r"^vacío\.xlsx: the file is empty"):
        check_file(b"", "vacío.xlsx")


def test_a_file_over_the_limit_is_refused() -> None:
    with pytest.raises(InputError, match="larger than 1 MB"):
        check_file(PDF + b"0" * 2**20, "big.pdf", Limits(max_bytes=2**20))


def test_a_truncated_workbook_is_refused() -> None:
    data = workbook_bytes()
    with pytest.raises(InputError, match="damaged or truncated|not recognised|not a Word"):
        check_file(data[: len(data) // 2], "cut.xlsx")


def test_a_zip_bomb_disguised_as_a_workbook_is_refused() -> None:
    bomb = zip_bytes({"xl/worksheets/sheet1.xml": b"0" * (50 * 2**20)})
    assert len(bomb) < 2**20
    with pytest.raises(InputError, match="zip bomb"):
        check_file(bomb, "lista.xlsx")


def test_an_archive_inside_a_document_is_refused() -> None:
    nested = zip_bytes({"xl/embeddings/inner.zip": b"PK\x03\x04 nested"})
    with pytest.raises(InputError, match="further archives"):
        check_file(nested, "lista.xlsx")


def test_an_executable_is_refused_by_its_content() -> None:
    with pytest.raises(InputError, match="not accepted|not recognised"):
        check_file(b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "declaration.pdf")


def test_text_in_a_windows_encoding_or_utf16_is_text() -> None:
    assert check_file("nombre;país\nJosé;México\n".encode("cp1252"), "l.csv").extension == "csv"
    assert check_file("nombre,país\n".encode("utf-16"), "l.csv").extension == "csv"


def test_a_legacy_excel_workbook_is_recognised_by_its_content() -> None:
    fixture = FIXTURES / "odk" / "pyxform_tutorial_repeat.xlsform.xls"
    assert check_file(fixture.read_bytes(), "form.bin").extension == "xls"
