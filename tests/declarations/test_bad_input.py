"""Bad files get a clear message naming the file and quoting none of its content."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pypdf
import pytest
from PIL import Image

from testimonio.declarations import read_declaration
from testimonio.errors import InputError
from tests.declarations.conftest import SimulatedWorld


def a_pdf(world: SimulatedWorld) -> bytes:
    return world.of_format("pdf")[0].path.read_bytes()


def encrypted(data: bytes, *, user_password: str, owner_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def failure(data: bytes, filename: str) -> str:
    with pytest.raises(InputError) as raised:
        read_declaration(data, filename)
    assert raised.value.file == filename
    assert str(raised.value).startswith(f"{filename}: ")
    return str(raised.value)


def test_a_password_protected_pdf_is_refused_by_name(world: SimulatedWorld) -> None:
    data = encrypted(a_pdf(world), user_password="open-sesame", owner_password="owner")
    message = failure(data, "exhibit-4.pdf")
    assert "password-protected" in message
    assert "open-sesame" not in message


def test_a_pdf_locked_only_against_editing_is_read(world: SimulatedWorld) -> None:
    data = encrypted(a_pdf(world), user_password="", owner_password="owner")
    found = read_declaration(data, "exhibit-4.pdf")
    assert found.numbered and found.format == "pdf"


def test_a_corrupt_pdf_is_refused_by_name(world: SimulatedWorld) -> None:
    message = failure(b"%PDF-1.7\n" + bytes(range(256)) * 20, "exhibit-5.pdf")
    assert "damaged" in message


def test_a_pdf_cut_short_is_refused_and_quotes_none_of_its_text(world: SimulatedWorld) -> None:
    data = a_pdf(world)
    message = failure(data[: len(data) // 3], "exhibit-6.pdf")
    assert "Case No." not in message and "DECLARA" not in message


def test_an_unsupported_type_is_refused_with_the_types_that_are_read() -> None:
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "unsupported type" in failure(buffer.getvalue(), "exhibit-7.xlsx")
    assert "unsupported type" in failure(b"\x00\x01binary\x02" * 40, "exhibit-8.bin")
    assert "old Word" in failure(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "ex-9.doc")
    assert "empty" in failure(b"", "exhibit-10.pdf")


def test_a_damaged_docx_is_refused_by_name() -> None:
    assert "damaged" in failure(b"PK\x03\x04" + bytes(300), "exhibit-11.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document>not xml")
    assert "damaged" in failure(buffer.getvalue(), "exhibit-11b.docx")


def test_a_docx_without_numbered_paragraphs_is_read_with_a_warning_not_an_error() -> None:
    document = docx.Document()
    document.add_paragraph("My name is Pedro Doe. I crossed the bridge in 2018.")
    document.add_paragraph("The officer told me there was no asylum for people like me.")
    buffer = io.BytesIO()
    document.save(buffer)
    found = read_declaration(buffer.getvalue(), "exhibit-12.docx")
    assert not found.numbered and found.paragraphs == []
    assert any("no numbered paragraphs" in warning for warning in found.warnings)
    assert found.preamble[0].startswith("My name is")


@pytest.mark.slow
def test_an_image_with_no_text_is_refused_by_name() -> None:
    buffer = io.BytesIO()
    Image.new("L", (1275, 1650), color=255).save(buffer, format="PNG")
    assert "no text could be read" in failure(buffer.getvalue(), "exhibit-13.png")


def test_a_damaged_image_is_refused_by_name() -> None:
    assert "damaged" in failure(b"\x89PNG\r\n\x1a\n" + bytes(200), "exhibit-14.png")
