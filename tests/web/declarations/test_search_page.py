"""The declarations search page: roles that read declarations find where words are, by POST;
the search is audited without the words; the text itself is not shown; erased ones skipped."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.declarations.search import ParagraphQuery
from testimonio.web.audit.models import AuditEvent
from testimonio.web.declarations.actions import do_set_exhibit
from testimonio.web.declarations.models import Declaration
from testimonio.web.declarations.search import do_search_declarations
from testimonio.web.keys.ring import destroy_data_keys
from tests.declarations.conftest import SimulatedDeclaration
from tests.web.clients import signed_in
from tests.web.conftest import member

pytestmark = pytest.mark.django_db
Added = tuple[Declaration, SimulatedDeclaration]


def a_phrase_of(simulated: SimulatedDeclaration, number: int) -> str:
    """Three words of the true paragraph ``number``, quoted: a phrase it holds."""
    text = dict(simulated.true_paragraphs())[str(number)]
    return '"' + " ".join(text.split()[2:5]) + '"'


def test_a_phrase_of_a_paragraph_finds_that_declaration_and_paragraph(
    docx_declaration: Added, attorney: User
) -> None:
    declaration, simulated = docx_declaration
    do_set_exhibit(declaration, "12", None)
    declaration.refresh_from_db()
    query = ParagraphQuery.parse(a_phrase_of(simulated, 2))
    outcome = do_search_declarations(declaration.project, query, attorney)
    assert [hit.declaration_id for hit in outcome.hits] == [declaration.pk]
    hit = outcome.hits[0]
    assert 2 in hit.paragraphs and hit.cite.startswith("Ex. 12 (Decl. of ")
    assert outcome.paragraphs_read == declaration.paragraph_count
    nothing = do_search_declarations(declaration.project, ParagraphQuery.parse("zqxjv"), attorney)
    assert nothing.hits == () and nothing.paragraphs_found == 0


def test_the_page_answers_a_post_without_the_text_and_audits_without_the_words(
    docx_declaration: Added, attorney: User
) -> None:
    declaration, simulated = docx_declaration
    phrase = a_phrase_of(simulated, 3)
    client = signed_in(attorney)
    url = f"/p/{declaration.project.slug}/declarations/search/"
    assert client.get(url).status_code == 200
    page = client.post(url, {"q": phrase}).content.decode()
    assert f"/declarations/{declaration.pk}/code/3/" in page
    full = dict(simulated.true_paragraphs())["3"]
    assert full[:40] not in page  # where the words are, not the paragraph
    event = AuditEvent.objects.get(action="declarations.search")
    assert event.details["found"] >= 1 and event.details["paragraphs"] > 0
    assert phrase.strip('"') not in str(event.details)
    empty = client.post(url, {"q": "  "})
    assert empty.status_code == 200 and b"errorlist" in empty.content
    assert AuditEvent.objects.filter(action="declarations.search").count() == 1


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_roles_that_may_not_read_declarations_get_404(docx_declaration: Added, role: str) -> None:
    declaration, _ = docx_declaration
    client = signed_in(member(declaration.project, f"u-{role}", role))
    url = f"/p/{declaration.project.slug}/declarations/search/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"q": "asilo"}).status_code == 404
    assert not AuditEvent.objects.filter(action="declarations.search").exists()


def test_a_declaration_whose_key_was_destroyed_is_skipped_and_counted(
    docx_declaration: Added, attorney: User
) -> None:
    declaration, simulated = docx_declaration
    destroy_data_keys([declaration.document.uuid])  # as erasing the person does
    query = ParagraphQuery.parse(a_phrase_of(simulated, 2))
    outcome = do_search_declarations(declaration.project, query, attorney)
    assert outcome.hits == () and outcome.skipped_erased == 1 and outcome.paragraphs_read == 0
