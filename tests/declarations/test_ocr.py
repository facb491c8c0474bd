"""Scanned declarations: the simulator's PDFs rendered to page images and read back by OCR."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from fpdf import FPDF
from PIL import Image

from testimonio.declarations import Declaration, read_declaration, word_accuracy
from tests.declarations.conftest import SimulatedDeclaration, SimulatedWorld

pytestmark = pytest.mark.slow

#: Measured on the simulator's declarations (docs/benchmarks/declarations.md): 0.99 and up.
MINIMUM_WORD_ACCURACY = 0.97


def page_images(declaration: SimulatedDeclaration, dpi: int = 300) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(declaration.path.read_bytes())
    return [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]


def scanned_pdf(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=300, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def accuracy(found: Declaration, declaration: SimulatedDeclaration) -> float:
    truth = " ".join(text for _, text in declaration.true_paragraphs())
    return word_accuracy(truth, " ".join(p.text for p in found.paragraphs))


def one_per_language(world: SimulatedWorld) -> list[SimulatedDeclaration]:
    pdfs = world.of_format("pdf")
    return [next(d for d in pdfs if d.text.language == language) for language in ("en", "es")]


def test_a_scanned_pdf_comes_back_with_every_paragraph_number(world: SimulatedWorld) -> None:
    for declaration in one_per_language(world):
        images = page_images(declaration)
        found = read_declaration(scanned_pdf(images), "scan.pdf")
        assert found.format == "pdf-scanned"
        assert found.ocr_pages == tuple(range(1, len(images) + 1))
        assert found.extractor == "tesseract spa+eng psm 6"
        assert found.extractor_version.startswith("tesseract ")
        numbers = [number for number, _ in declaration.true_paragraphs()]
        assert [p.number for p in found.paragraphs] == numbers
        assert accuracy(found, declaration) >= MINIMUM_WORD_ACCURACY
        assert found.language == declaration.text.language


def test_page_images_as_a_tiff_come_back_with_every_paragraph_number(
    world: SimulatedWorld,
) -> None:
    declaration = one_per_language(world)[1]
    images = page_images(declaration)
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", save_all=True, append_images=images[1:])
    found = read_declaration(buffer.getvalue(), "scan.tiff")
    assert found.format == "image" and found.pages == len(images)
    assert [p.number for p in found.paragraphs] == [n for n, _ in declaration.true_paragraphs()]
    assert accuracy(found, declaration) >= MINIMUM_WORD_ACCURACY


def test_a_png_photo_of_one_page_is_read(world: SimulatedWorld) -> None:
    declaration = one_per_language(world)[0]
    buffer = io.BytesIO()
    page_images(declaration, dpi=200)[0].save(buffer, format="PNG")
    found = read_declaration(buffer.getvalue(), "page-1.png")
    assert found.format == "image"
    assert found.paragraphs[0].number == "1"
    assert found.paragraphs[0].text.startswith("I, ")


def test_only_the_scanned_page_of_a_mixed_pdf_is_read_by_ocr() -> None:
    second = "2. I went back to Tijuana and waited there for many weeks with my children."
    scan = FPDF(format="Letter")
    scan.add_page()
    scan.set_font("Helvetica", size=12)
    scan.multi_cell(0, 8, second, new_x="LMARGIN", new_y="NEXT")
    image = pypdfium2.PdfDocument(bytes(scan.output()))[0].render(scale=300 / 72).to_pil()
    mixed = FPDF(format="Letter")
    mixed.set_font("Helvetica", size=12)
    mixed.add_page()
    mixed.multi_cell(0, 8, "1. I came to the border in June.", new_x="LMARGIN", new_y="NEXT")
    mixed.add_page()
    mixed.image(image, x=0, y=0, w=mixed.w, h=mixed.h)
    found = read_declaration(bytes(mixed.output()), "exhibit-16.pdf")
    assert (found.format, found.ocr_pages) == ("pdf", (2,))
    assert found.extractor == "pypdf + tesseract spa+eng psm 6"
    assert [p.number for p in found.paragraphs] == ["1", "2"]
    assert word_accuracy(second[3:], found.paragraphs[1].text) >= MINIMUM_WORD_ACCURACY
