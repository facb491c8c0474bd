"""Exhibit numbers, and coding paragraphs to the vocabulary (with or without an encounter)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.errors import ValidationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person, do_record_encounter
from testimonio.web.cases.models import Coding, Person
from testimonio.web.declarations.actions import (
    do_code_paragraph,
    do_link_declaration,
    do_set_exhibit,
)
from testimonio.web.declarations.models import Declaration, ParagraphCoding
from tests.declarations.conftest import SimulatedDeclaration
from tests.web.declarations.conftest import add

pytestmark = pytest.mark.django_db
THREAT = "TAC.DENY"

Added = tuple[Declaration, SimulatedDeclaration]


@pytest.fixture
def term_code(docx_declaration: Added) -> str:
    terms = docx_declaration[0].project.vocabulary.terms
    return THREAT if terms.filter(code=THREAT).exists() else terms.first().code


def test_an_exhibit_number_and_ecf_reference_are_set_and_audited(docx_declaration: Added) -> None:
    declaration, _ = docx_declaration
    do_set_exhibit(declaration, "12", None, ecf_reference="45-3")
    declaration.refresh_from_db()
    assert (declaration.exhibit, declaration.ecf_reference) == ("12", "45-3")
    assert AuditEvent.objects.filter(action="declarations.declaration.exhibit").count() == 1


def test_two_declarations_cannot_share_an_exhibit_number(
    docx_declaration: Added, pdf_declaration: Added
) -> None:
    do_set_exhibit(docx_declaration[0], "12", None)
    with pytest.raises(ValidationError, match="exhibit 12"):
        do_set_exhibit(pdf_declaration[0], "12", None)


def test_a_paragraph_is_coded_without_an_encounter(
    docx_declaration: Added, term_code: str, attorney: User
) -> None:
    declaration, _ = docx_declaration
    paragraph = declaration.document.paragraphs.get(number=2)
    marked = do_code_paragraph(paragraph, term_code, None, (0, 10), attorney)
    assert (marked.term.code, marked.span_start, marked.span_end) == (term_code, 0, 10)
    assert marked.coder == attorney and marked.coding is None
    event = AuditEvent.objects.get(action="declarations.paragraph.code")
    assert event.details["paragraph"] == 2 and event.details["code"] == term_code


def test_coding_with_an_encounter_codes_the_encounter_citing_the_paragraph(
    docx_declaration: Added, term_code: str, person: Person, attorney: User
) -> None:
    declaration, _ = docx_declaration
    do_link_declaration(declaration, person, None)
    do_set_exhibit(declaration, "7", None)
    encounter = do_record_encounter(person, None, date="2018-06")
    paragraph = declaration.document.paragraphs.get(number=3)
    marked = do_code_paragraph(paragraph, term_code, encounter, None, attorney)
    coding = Coding.objects.get(encounter=encounter)
    assert marked.coding == coding
    assert coding.evidence == f"Ex. 7 (Decl. of {person.pseudonym}) ¶ 3"


def test_two_coders_may_code_the_same_paragraph_but_one_coder_only_once(
    docx_declaration: Added, term_code: str, attorney: User, intake_officer: User
) -> None:
    paragraph = docx_declaration[0].document.paragraphs.get(number=2)
    do_code_paragraph(paragraph, term_code, None, None, attorney)
    do_code_paragraph(paragraph, term_code, None, None, intake_officer)
    with pytest.raises(ValidationError, match="already coded"):
        do_code_paragraph(paragraph, term_code, None, None, attorney)
    assert ParagraphCoding.objects.count() == 2


def test_an_encounter_of_someone_else_is_refused(
    docx_declaration: Added, term_code: str, person: Person
) -> None:
    declaration, _ = docx_declaration
    do_link_declaration(declaration, person, None)
    other = do_create_person(declaration.project, None)
    encounter = do_record_encounter(other, None, date="2018")
    paragraph = declaration.document.paragraphs.get(number=1)
    with pytest.raises(ValidationError, match="not one of the declarant's"):
        do_code_paragraph(paragraph, term_code, encounter, None, None)
    assert not ParagraphCoding.objects.exists() and not Coding.objects.exists()


def test_a_span_outside_the_paragraph_and_an_unknown_term_are_refused(
    docx_declaration: Added, term_code: str
) -> None:
    paragraph = docx_declaration[0].document.paragraphs.get(number=1)
    with pytest.raises(ValidationError, match="span"):
        do_code_paragraph(paragraph, term_code, None, (5, 100_000), None)
    with pytest.raises(ValidationError):
        do_code_paragraph(paragraph, "NO.SUCH.TERM", None, None, None)
    assert not ParagraphCoding.objects.exists()


def test_codings_of_two_declarations_are_their_own(
    docx_declaration: Added, pdf_declaration: Added, term_code: str
) -> None:
    first = docx_declaration[0].document.paragraphs.get(number=1)
    do_code_paragraph(first, term_code, None, None, None)
    assert pdf_declaration[0].codings.count() == 0
    assert docx_declaration[0].codings.count() == 1
    assert add(docx_declaration[0].project, docx_declaration[1]).codings.count() == 1
