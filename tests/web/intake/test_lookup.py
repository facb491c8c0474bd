"""Exact lookup through the blind indexes: POST only, audited, limited, pseudonyms out."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User

from testimonio.cli.main import cli
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import (
    do_create_person,
    do_create_project,
    do_create_record,
    do_create_source,
)
from testimonio.web.cases.models import Person, Project, RecordIdentity, Source
from testimonio.web.keys.identity import IdentityFields
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosalba(project: Project, source: Source) -> Person:
    person = do_create_person(project, None)
    identity = IdentityFields(
        "Rosalba", "Quíntero Ávila", birth_date="1990-04-02", phone="555-0142"
    )
    do_create_record(source, None, person=person, identity=identity)
    other = do_create_person(project, None)
    do_create_record(
        source, None, person=other, identity=IdentityFields("Luis", "Quintero", "1985")
    )
    return person


def lookup_url(project: Project) -> str:
    return f"/p/{project.slug}/cases/lookup/"


def test_an_attorney_finds_a_person_by_surname_and_birth_year(
    project: Project, rosalba: Person, attorney: User
) -> None:
    response = signed_in(attorney).post(
        lookup_url(project), {"surnames": "quintero", "birth_year": "1990"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["persons"]) == [rosalba]  # accents and case folded
    assert f"/people/{rosalba.pseudonym}/" in page and "Rosalba" not in page


def test_a_person_is_found_by_phone(project: Project, rosalba: Person, attorney: User) -> None:
    response = signed_in(attorney).post(lookup_url(project), {"phone": "(555) 0142"})
    assert list(response.context["persons"]) == [rosalba]


def test_the_lookup_is_audited_without_what_was_typed(
    project: Project, rosalba: Person, intake_officer: User
) -> None:
    signed_in(intake_officer).post(
        lookup_url(project), {"surnames": "Quintero", "birth_year": "1990"}
    )
    event = AuditEvent.objects.get(action="intake.lookup")
    assert event.actor_id == intake_officer.pk
    assert event.details == {"by": ["surname_year"], "matches": 1}
    assert "Quintero" not in str(event.details)


def test_a_surname_alone_is_refused_and_looks_nothing_up(
    project: Project, rosalba: Person, attorney: User
) -> None:
    response = signed_in(attorney).post(lookup_url(project), {"surnames": "Quintero"})
    page = response.content.decode()
    assert "A surname is looked up with the birth year or the given name." in page
    assert not AuditEvent.objects.filter(action="intake.lookup").exists()


def test_lookups_beyond_the_hourly_limit_are_refused_and_audited(
    project: Project, rosalba: Person, attorney: User, settings: object
) -> None:
    settings.TESTIMONIO_REVEALS_PER_HOUR = 2  # type: ignore[attr-defined]
    client = signed_in(attorney)
    asked = {"surnames": "Quintero", "birth_year": "1990"}
    for _ in range(2):
        client.post(lookup_url(project), asked)
    refused = client.post(lookup_url(project), asked)
    assert refused.context["persons"] is None
    assert "the limit is 2 an hour" in refused.content.decode()
    assert AuditEvent.objects.filter(action="intake.lookup_refused").count() == 1


@pytest.mark.parametrize("role", ["analyst", "outsider"])
def test_roles_that_may_not_see_identities_get_404(
    role: str, rosalba: Person, request: pytest.FixtureRequest
) -> None:
    project: Project = request.getfixturevalue("project")
    client = signed_in(request.getfixturevalue(role))
    response = client.post(lookup_url(project), {"surnames": "Quintero", "birth_year": "1990"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="intake.lookup").exists()


def test_a_person_of_another_project_is_not_found(
    project: Project, rosalba: Person, attorney: User
) -> None:
    other = do_create_project("Other", project.vocabulary, None, slug="other")
    source = do_create_source(other, "list", None)
    do_create_record(
        source,
        None,
        person=do_create_person(other, None),
        identity=IdentityFields("Rosalba", "Quintero", "1990"),
    )
    response = signed_in(attorney).post(
        lookup_url(project), {"surnames": "Quintero", "birth_year": "1990"}
    )
    assert list(response.context["persons"]) == [rosalba]


def test_a_person_is_found_by_given_name_and_surname(
    project: Project, rosalba: Person, attorney: User
) -> None:
    response = signed_in(attorney).post(
        lookup_url(project), {"given_names": "ROSALBA", "surnames": "Quintero"}
    )
    assert list(response.context["persons"]) == [rosalba]  # not Luis Quintero
    event = AuditEvent.objects.get(action="intake.lookup")
    assert event.details == {"by": ["given_surname"], "matches": 1}


def test_a_person_is_found_by_the_full_birth_date_alone(
    project: Project, rosalba: Person, attorney: User
) -> None:
    client = signed_in(attorney)
    found = client.post(lookup_url(project), {"birth_date": "1990-04-02"})
    assert list(found.context["persons"]) == [rosalba]
    other_day = client.post(lookup_url(project), {"birth_date": "1990-04-03"})
    assert list(other_day.context["persons"]) == []


def test_a_given_name_alone_is_refused(project: Project, rosalba: Person, attorney: User) -> None:
    response = signed_in(attorney).post(lookup_url(project), {"given_names": "Rosalba"})
    assert "A given name is looked up with the surname." in response.content.decode()
    assert not AuditEvent.objects.filter(action="intake.lookup").exists()


def test_reindex_fills_the_new_indexes_of_older_records(
    project: Project, rosalba: Person, attorney: User
) -> None:
    RecordIdentity.objects.update(given_surname_index="", birth_date_index="")  # as before 0009
    result = CliRunner().invoke(cli, ["people", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Blind indexes checked for 2 records; 2 updated." in result.output
    assert "Rosalba" not in result.output
    response = signed_in(attorney).post(lookup_url(project), {"birth_date": "1990-04-02"})
    assert list(response.context["persons"]) == [rosalba]
    event = AuditEvent.objects.get(action="crypto.blind_index.reindex")
    assert event.details == {"records": 2, "updated": 2}
    again = CliRunner().invoke(cli, ["people", "reindex"])
    assert "2 records; 0 updated." in again.output
