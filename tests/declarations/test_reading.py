"""The simulator's declarations, DOCX and PDF, read back to every paragraph number and word."""

from __future__ import annotations

from collections import defaultdict

import pytest

from testimonio.declarations import Declaration, read_declaration
from testimonio.simulation.phrases import TACTIC_WORDS
from testimonio.simulation.sources.declarations import latin1
from tests.declarations.conftest import SimulatedDeclaration, SimulatedWorld

FORMATS = ["docx", "pdf"]


def read(declaration: SimulatedDeclaration) -> Declaration:
    return read_declaration(declaration.path.read_bytes(), declaration.path.name)


def test_the_world_has_declarations_in_both_formats_and_languages(world: SimulatedWorld) -> None:
    kinds = {(d.format, d.text.language) for d in world.declarations}
    assert kinds == {("docx", "en"), ("docx", "es"), ("pdf", "en"), ("pdf", "es")}


@pytest.mark.parametrize("kind", FORMATS)
def test_every_paragraph_comes_back_with_its_number_and_exact_text(
    world: SimulatedWorld, kind: str
) -> None:
    for declaration in world.of_format(kind):
        found = read(declaration)
        assert [(p.number, p.text) for p in found.paragraphs] == declaration.true_paragraphs()
        assert [p.marker for p in found.paragraphs] == [
            f"{n}." for n in range(1, len(declaration.text.paragraphs) + 1)
        ]


@pytest.mark.parametrize("kind", FORMATS)
def test_the_truth_files_encounter_paragraphs_tell_their_tactics(
    world: SimulatedWorld, kind: str
) -> None:
    told = defaultdict(list)
    for row in world.truth_rows("declaration_paragraphs.csv"):
        told[row["record_id"]].append(row)
    checked = 0
    for declaration in world.of_format(kind):
        found = read(declaration)
        variant = 4 if declaration.text.language == "es" else 3
        for row in told[declaration.index["exhibit"]]:
            text = found.paragraph(row["paragraph"]).text
            for code in row["tactics_told"].split():
                words = TACTIC_WORDS[code][variant]
                assert (latin1(words) if kind == "pdf" else words) in text
                checked += 1
    assert checked > 0


@pytest.mark.parametrize("kind", FORMATS)
def test_caption_and_title_are_preamble_and_signature_is_closing(
    world: SimulatedWorld, kind: str
) -> None:
    for declaration in world.of_format(kind):
        found = read(declaration)
        preamble = " ".join(found.preamble)
        assert preamble.startswith("UNITED STATES DISTRICT COURT")
        assert "Case No. 3:17-cv-00000" in preamble
        signature = declaration.text.closing[-1]
        assert signature in found.closing
        assert found.closing[0].startswith(("I declare under penalty", "Declaro bajo pena"))
        if declaration.text.certificate:
            assert declaration.text.certificate[0] in found.closing


@pytest.mark.parametrize("kind", FORMATS)
def test_the_language_is_the_one_the_exhibit_index_gives(world: SimulatedWorld, kind: str) -> None:
    for declaration in world.of_format(kind):
        found = read(declaration)
        assert found.language == declaration.index["document_language"]
        assert found.language_probability > 0.9


def test_the_extractor_and_its_version_are_recorded(world: SimulatedWorld) -> None:
    pdf, docx = world.of_format("pdf")[0], world.of_format("docx")[0]
    from_pdf, from_docx = read(pdf), read(docx)
    assert (from_pdf.format, from_pdf.extractor) == ("pdf", "pypdf")
    assert from_pdf.extractor_version.startswith("pypdf ")
    assert (from_docx.format, from_docx.extractor) == ("docx", "python-docx")
    assert from_docx.extractor_version.startswith("python-docx ")
    assert from_pdf.ocr_pages == () and not from_pdf.warnings
