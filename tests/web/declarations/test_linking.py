"""A declaration is linked to its person through the records' blind indexes, never by name."""

from __future__ import annotations

import pytest

from testimonio.declarations import read_declaration
from testimonio.declarations.declarant import declarant_of
from testimonio.errors import ValidationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person, do_create_project, do_create_record
from testimonio.web.cases.models import Person, Project, Source, VocabularyVersion
from testimonio.web.declarations.actions import do_link_declaration
from testimonio.web.keys.identity import IdentityFields
from tests.declarations.conftest import SimulatedDeclaration, SimulatedWorld
from tests.web.declarations.conftest import add

pytestmark = pytest.mark.django_db


def stating_a_birth_year(world: SimulatedWorld) -> SimulatedDeclaration:
    for simulated in world.of_format("docx"):
        read = read_declaration(simulated.path.read_bytes(), "d.docx")
        if declarant_of(read).birth_year is not None:
            return simulated
    raise AssertionError("no simulated declaration states a birth year")


def person_recorded_as(source: Source, simulated: SimulatedDeclaration, born: str = "") -> Person:
    given, *surnames = simulated.index["declarant_name"].split()
    person = do_create_person(source.project, None)
    identity = IdentityFields(
        given_names=given, surnames=" ".join(surnames), birth_date=born or simulated.birth_date
    )
    do_create_record(source, None, identity=identity, person=person)
    return person


def test_one_person_with_the_declarants_surname_and_birth_year_is_proposed(
    source: Source, world: SimulatedWorld
) -> None:
    simulated = stating_a_birth_year(world)
    person = person_recorded_as(source, simulated)
    person_recorded_as(source, simulated, born="1901-01-01")  # same surname, another year
    declaration = add(source.project, simulated)
    assert declaration.link_status == "proposed"
    assert declaration.proposed_person == person
    assert declaration.person is None  # a person confirms it
    event = AuditEvent.objects.get(action="declarations.declaration.link_proposed")
    assert event.details == {"status": "proposed", "candidates": 1, "person": person.pseudonym}


def test_two_people_matching_go_to_review(source: Source, world: SimulatedWorld) -> None:
    simulated = stating_a_birth_year(world)
    person_recorded_as(source, simulated)
    person_recorded_as(source, simulated)
    declaration = add(source.project, simulated)
    assert declaration.link_status == "review" and declaration.proposed_person is None


def test_nobody_matching_leaves_it_unlinked(project: Project, world: SimulatedWorld) -> None:
    declaration = add(project, stating_a_birth_year(world))
    assert declaration.link_status == "unlinked"


def test_records_of_another_project_are_never_proposed(
    source: Source, world: SimulatedWorld, vocabulary: VocabularyVersion
) -> None:
    simulated = stating_a_birth_year(world)
    person_recorded_as(source, simulated)
    other = do_create_project("Other", vocabulary, None, slug="other")
    assert add(other, simulated).link_status == "unlinked"


def test_linking_moves_the_document_with_its_declaration(
    source: Source, world: SimulatedWorld
) -> None:
    simulated = stating_a_birth_year(world)
    person = person_recorded_as(source, simulated)
    declaration = add(source.project, simulated)
    do_link_declaration(declaration, person, None)
    declaration.refresh_from_db()
    declaration.document.refresh_from_db()
    assert declaration.person == person and declaration.link_status == "linked"
    assert declaration.document.person == person


def test_a_person_of_another_project_cannot_be_linked(
    project: Project, world: SimulatedWorld, vocabulary: VocabularyVersion
) -> None:
    declaration = add(project, world.of_format("docx")[0])
    stranger = do_create_person(do_create_project("Other", vocabulary, None, slug="o"), None)
    with pytest.raises(ValidationError, match="another project"):
        do_link_declaration(declaration, stranger, None)
