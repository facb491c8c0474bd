"""A redacted copy for filing: its extracted text holds none of the declarant's identity."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pypdf
import pytest

from testimonio.declarations.identity import name_parts
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person, do_create_record
from testimonio.web.cases.models import Source
from testimonio.web.declarations.actions import do_link_declaration, do_redact_declaration
from testimonio.web.evidence.models import Document
from testimonio.web.keys.identity import IdentityFields
from tests.declarations.conftest import SimulatedWorld
from tests.web.declarations.conftest import add

pytestmark = pytest.mark.django_db


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def extracted(pdf: bytes) -> str:
    return folded(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_redacted_copy_holds_none_of_the_declarants_identity(
    source: Source, world: SimulatedWorld, kind: str
) -> None:
    for simulated in world.of_format(kind)[:3]:
        name = simulated.index["declarant_name"]
        given, *surnames = name.split()
        person = do_create_person(source.project, None)
        identity = IdentityFields(
            given_names=given,
            surnames=" ".join(surnames),
            birth_date=simulated.birth_date,
            phone="+52 664 555 0199",
        )
        do_create_record(source, None, identity=identity, person=person)
        declaration = add(source.project, simulated)
        do_link_declaration(declaration, person, None)
        copy = do_redact_declaration(declaration, None)
        text = extracted(copy.pdf)
        assert folded(person.pseudonym) in text
        assert folded(name) not in text
        for word in name_parts(name):  # particles ("de") are no name by themselves
            assert f" {folded(word)} " not in f" {text} ", f"a name word is left in {kind}"
        born = date.fromisoformat(simulated.birth_date)
        assert born.isoformat() not in text and str(born.year) + "-" not in text
        assert copy.log and all(entry.count > 0 for entry in copy.log)


def test_the_copy_is_kept_as_a_derived_document_and_audited(
    source: Source, world: SimulatedWorld
) -> None:
    declaration = add(source.project, world.of_format("docx")[0])
    copy = do_redact_declaration(declaration, None)
    derived = Document.objects.get(derived_from=declaration.document)
    assert derived.sha256 and copy.pdf.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="declarations.declaration.redact")
    assert event.details["copy"] == derived.pk and event.details["replaced"] > 0
