"""Adding a declaration: original sealed, paragraphs read and sealed, audited, all or nothing."""

from __future__ import annotations

import io

import pypdfium2
import pytest

from testimonio.errors import InputError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.declarations.actions import do_add_declaration, do_reveal_paragraphs
from testimonio.web.declarations.models import Declaration
from testimonio.web.declarations.reading import rebuild
from testimonio.web.evidence.models import CustodyEvent, Document, DocumentParagraph
from tests.declarations.conftest import SimulatedDeclaration, SimulatedWorld
from tests.web.declarations.conftest import add

pytestmark = pytest.mark.django_db


def _assert_read_back(declaration: Declaration, simulated: SimulatedDeclaration) -> None:
    paragraphs = do_reveal_paragraphs(declaration, None)
    assert [(p["number"], p["text"]) for p in paragraphs] == simulated.true_paragraphs()
    assert declaration.language == simulated.text.language
    assert declaration.paragraph_count == len(simulated.true_paragraphs())


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_every_paragraph_of_a_simulated_declaration_comes_back_after_sealing(
    project: Project, world: SimulatedWorld, kind: str
) -> None:
    for simulated in world.of_format(kind)[:3]:
        declaration = add(project, simulated)
        assert declaration.format == kind
        _assert_read_back(declaration, simulated)


def test_a_declaration_as_plain_text_comes_back_too(
    project: Project, world: SimulatedWorld
) -> None:
    simulated = world.of_format("docx")[0]
    lines = [f"{n}. {text}" for n, text in simulated.true_paragraphs()]
    declaration = do_add_declaration(project, "\n".join(lines).encode(), "upload.txt", None)
    assert declaration.format == "txt" and declaration.extractor == "text"
    _assert_read_back(declaration, simulated)


@pytest.mark.slow
def test_a_scanned_declaration_comes_back_with_every_paragraph_number(
    project: Project, world: SimulatedWorld
) -> None:
    simulated = world.of_format("pdf")[0]
    pages = pypdfium2.PdfDocument(simulated.path.read_bytes())
    images = [page.render(scale=300 / 72, grayscale=True).to_pil() for page in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=300, save_all=True, append_images=images[1:])
    declaration = do_add_declaration(project, buffer.getvalue(), "scan.pdf", None)
    assert declaration.format == "pdf-scanned"
    assert declaration.extractor.startswith("tesseract")
    numbers = [p["number"] for p in do_reveal_paragraphs(declaration, None)]
    assert numbers == [number for number, _ in simulated.true_paragraphs()]


def test_paragraphs_and_derived_text_are_sealed_at_rest(
    docx_declaration: tuple[Declaration, SimulatedDeclaration],
) -> None:
    declaration, simulated = docx_declaration
    words = [w for w in simulated.true_paragraphs()[0][1].split() if len(w) > 6][:3]
    for row in DocumentParagraph.objects.filter(document=declaration.document):
        assert not any(word.encode() in bytes(row.text) for word in words)
    assert simulated.text.paragraphs[0][:20].encode() not in bytes(declaration.text)
    assert rebuild(declaration).preamble  # the caption came back from the sealed text


def test_adding_is_audited_without_a_word_of_the_declaration(
    docx_declaration: tuple[Declaration, SimulatedDeclaration],
) -> None:
    declaration, simulated = docx_declaration
    event = AuditEvent.objects.get(action="declarations.declaration.add")
    assert event.details["paragraphs"] == declaration.paragraph_count
    text = str(event.details)
    assert not any(word in text for word in simulated.true_paragraphs()[0][1].split()[2:6])
    assert CustodyEvent.objects.filter(document=declaration.document, action="derived").exists()


def test_the_same_file_added_twice_is_one_declaration(
    project: Project, world: SimulatedWorld
) -> None:
    simulated = world.of_format("docx")[0]
    assert add(project, simulated).pk == add(project, simulated).pk
    assert Declaration.objects.count() == 1


def test_an_unreadable_document_is_refused_by_name_and_its_original_kept_sealed(
    project: Project,
) -> None:
    blank = io.BytesIO()
    from PIL import Image

    Image.new("L", (600, 400), 255).save(blank, format="PNG")
    with pytest.raises(InputError, match=r"^blank\.png.*kept sealed as document \d+"):
        do_add_declaration(project, blank.getvalue(), "blank.png", None)
    assert Document.objects.count() == 1
    assert not Declaration.objects.exists() and not DocumentParagraph.objects.exists()


def test_a_file_that_is_no_document_leaves_nothing(project: Project) -> None:
    with pytest.raises(InputError, match="sheet.pdf"):
        do_add_declaration(project, b"a,b\n1,2\n", "sheet.pdf", None)
    assert not Document.objects.exists() and not Declaration.objects.exists()


def test_a_corrupt_pdf_is_refused_by_name(project: Project, world: SimulatedWorld) -> None:
    data = world.of_format("pdf")[0].path.read_bytes()
    with pytest.raises(InputError, match="^cut.pdf"):
        do_add_declaration(project, data[: len(data) // 3], "cut.pdf", None)
    assert not Declaration.objects.exists()
