"""The declaration pages: who sees them (role matrix), adding, linking, numbering, coding."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_erase_person, do_record_encounter
from testimonio.web.cases.models import Coding, Person, Project, Term
from testimonio.web.declarations.actions import (
    do_add_declaration,
    do_code_paragraph,
    do_link_declaration,
)
from testimonio.web.declarations.models import Declaration, ParagraphCoding
from tests.declarations.conftest import SimulatedDeclaration
from tests.web.clients import signed_in
from tests.web.conftest import member

pytestmark = pytest.mark.django_db
Added = tuple[Declaration, SimulatedDeclaration]
ROLES = [
    ("admin", True),
    ("attorney", True),
    ("intake", True),
    ("analyst", False),
    ("viewer", False),
]


def urls(declaration: Declaration) -> list[str]:
    slug = declaration.project.slug
    return [
        reverse("declarations:list", args=[slug]),
        reverse("declarations:detail", args=[slug, declaration.pk]),
        reverse("declarations:code", args=[slug, declaration.pk, 1]),
    ]


@pytest.mark.parametrize(("role", "allowed"), ROLES)
def test_only_roles_that_may_read_declarations_see_any_page(
    docx_declaration: Added, role: str, allowed: bool
) -> None:
    declaration, simulated = docx_declaration
    client = signed_in(member(declaration.project, f"u-{role}", role))
    listing, detail, code = urls(declaration)
    first, second = (escape(text[:40]) for _, text in simulated.true_paragraphs()[:2])
    shown = {listing: (), detail: (first, second), code: (first,)}
    for url, texts in shown.items():
        response = client.get(url)
        assert response.status_code == (200 if allowed else 404), url
        page = response.content.decode()
        for text in (first, second):
            assert (text in page) == (allowed and text in texts), url


def test_someone_with_no_role_in_the_project_sees_nothing(
    docx_declaration: Added, outsider: User
) -> None:
    client = signed_in(outsider)
    assert all(client.get(url).status_code == 404 for url in urls(docx_declaration[0]))
    anonymous = Client()
    assert all(anonymous.get(url).status_code == 302 for url in urls(docx_declaration[0]))


@pytest.mark.parametrize(("role", "allowed"), ROLES)
def test_only_coding_roles_may_post(docx_declaration: Added, role: str, allowed: bool) -> None:
    declaration, _ = docx_declaration
    client = signed_in(member(declaration.project, f"u-{role}", role))
    term = Term.objects.filter(
        version=declaration.project.vocabulary, code__startswith="TAC."
    ).first()
    _, detail, code = urls(declaration)
    exhibit = client.post(detail, {"exhibit": "9", "ecf_reference": ""})
    coded = client.post(code, {"term": term.pk})
    assert (exhibit.status_code, coded.status_code) == ((302, 302) if allowed else (404, 404))
    assert ParagraphCoding.objects.exists() == allowed


def test_reading_a_declaration_page_is_audited(docx_declaration: Added, attorney: User) -> None:
    declaration, _ = docx_declaration
    signed_in(attorney).get(urls(declaration)[1])
    viewed = AuditEvent.objects.filter(action="evidence.document.viewed", actor_id=attorney.pk)
    assert viewed.count() == 1


def test_a_declaration_is_added_from_the_list_page(
    project: Project, attorney: User, docx_declaration: Added
) -> None:
    _, simulated = docx_declaration
    pdf = simulated.path.with_suffix(".pdf")
    data = (
        pdf.read_bytes() if pdf.exists() else b"1. Me dijeron que no hay asilo para nadie aqui.\n"
    )
    upload = SimpleUploadedFile("upload.pdf" if pdf.exists() else "upload.txt", data)
    response = signed_in(attorney).post(urls(docx_declaration[0])[0], {"file": upload})
    assert response.status_code == 302
    assert Declaration.objects.count() == 2


def test_a_bad_upload_is_a_form_error_naming_the_file(project: Project, attorney: User) -> None:
    upload = SimpleUploadedFile("roto.pdf", b"%PDF-1.7\n" + b"\x00junk" * 40)
    response = signed_in(attorney).post(
        reverse("declarations:list", args=[project.slug]), {"file": upload}
    )
    assert response.status_code == 200
    assert "roto.pdf" in response.content.decode() and not Declaration.objects.exists()


def test_linking_and_exhibit_numbers_from_the_declaration_page(
    docx_declaration: Added, person: Person, attorney: User
) -> None:
    declaration, _ = docx_declaration
    client = signed_in(attorney)
    detail = urls(declaration)[1]
    client.post(detail, {"pseudonym": person.pseudonym, "link": ""})
    client.post(detail, {"exhibit": "12", "ecf_reference": "45-3"})
    declaration.refresh_from_db()
    assert declaration.person == person and declaration.exhibit == "12"
    page = client.get(detail).content.decode()
    assert f"Ex. 12 (Decl. of {person.pseudonym}), ECF No. 45-3" in page
    unknown = client.post(detail, {"pseudonym": "P-999999", "link": ""})
    assert "no person P-999999" in unknown.content.decode()


def test_the_coding_screen_shows_definitions_in_english_and_spanish_with_access_keys(
    docx_declaration: Added, attorney: User
) -> None:
    declaration, _ = docx_declaration
    page = signed_in(attorney).get(urls(declaration)[2]).content.decode()
    term = Term.objects.filter(
        version=declaration.project.vocabulary, code__startswith="TAC."
    ).first()
    assert term.label_en in page and term.label_es in page
    assert 'accesskey="1"' in page and 'accesskey="s"' in page


def test_coding_on_an_encounter_from_the_screen_codes_the_encounter(
    docx_declaration: Added, person: Person, attorney: User
) -> None:
    declaration, _ = docx_declaration
    do_link_declaration(declaration, person, None)
    encounter = do_record_encounter(person, None, date="2018-06")
    term = Term.objects.filter(
        version=declaration.project.vocabulary, code__startswith="TAC."
    ).first()
    response = signed_in(attorney).post(
        urls(declaration)[2], {"term": term.pk, "encounter": encounter.pk}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/code/2/")  # on to the next paragraph
    assert Coding.objects.get(encounter=encounter).term == term


def test_unlinked_declarations_are_listed_with_their_status(
    docx_declaration: Added, attorney: User
) -> None:
    page = signed_in(attorney).get(urls(docx_declaration[0])[0]).content.decode()
    assert "Unlinked declarations" in page and "Not linked" in page


def test_the_persons_page_cites_the_paragraph_behind_a_code(
    docx_declaration: Added, person: Person, attorney: User
) -> None:
    declaration, _ = docx_declaration
    do_link_declaration(declaration, person, None)
    encounter = do_record_encounter(person, None, date="2018-06")
    term = Term.objects.filter(version=declaration.project.vocabulary, code="TAC.DENY").get()
    paragraph = declaration.document.paragraphs.get(number=3)
    do_code_paragraph(paragraph, term, encounter, None, attorney)
    url = reverse("cases:person_detail", args=[declaration.project.slug, person.pseudonym])
    page = signed_in(attorney).get(url).content.decode()
    assert f"(Decl. of {person.pseudonym} ¶ 3)" in page


def test_after_erasing_the_declarant_the_page_says_so_and_shows_no_paragraph(
    docx_declaration: Added, person: Person, attorney: User
) -> None:
    declaration, simulated = docx_declaration
    do_link_declaration(declaration, person, None)
    do_erase_person(person, None, reason="asked to be forgotten")
    response = signed_in(attorney).get(urls(declaration)[1])
    page = response.content.decode()
    assert response.status_code == 200 and "erased" in page
    assert escape(simulated.true_paragraphs()[1][1][:40]) not in page
    assert signed_in(attorney).get(urls(declaration)[2]).status_code == 404


def test_the_coding_screen_suggests_and_a_confirmed_suggestion_is_logged_with_its_version(
    project: Project, attorney: User
) -> None:
    text = "1. I arrived.\n2. The officer said: we are full, there is no space today.\n"
    declaration = do_add_declaration(project, text.encode(), "upload.txt", None)
    url = reverse("declarations:code", args=[project.slug, declaration.pk, 2])
    client = signed_in(attorney)
    page = client.get(url).content.decode()
    assert "suggested (lexicon-1)" in page and "TAC.DENY.CAPACITY" in page
    term = Term.objects.get(version=project.vocabulary, code="TAC.DENY.CAPACITY")
    client.post(url, {"term": term.pk})
    event = AuditEvent.objects.get(action="declarations.paragraph.code")
    assert event.details["suggested_by"] == "lexicon-1"
