"""Least privilege on the pages: members see their project; outsiders see nothing of it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_record
from testimonio.web.cases.models import Person, Project, Source
from testimonio.web.keys.identity import IdentityFields
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded_person(source: Source, person: Person) -> Person:
    do_create_record(source, None, person=person, identity=IdentityFields("Canarito", "Zzyzx"))
    return person


def test_anonymous_visitors_are_sent_to_log_in(project: Project) -> None:
    response = Client().get(f"/p/{project.slug}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_member_sees_the_project_page(project: Project, analyst: User) -> None:
    response = signed_in(analyst).get(f"/p/{project.slug}/")
    assert response.status_code == 200
    assert project.name in response.content.decode()


def test_an_outsider_gets_404_not_403_for_another_teams_project(
    project: Project, outsider: User
) -> None:
    assert signed_in(outsider).get(f"/p/{project.slug}/").status_code == 404


def test_the_project_list_shows_only_the_users_projects(project: Project, outsider: User) -> None:
    response = signed_in(outsider).get("/")
    assert project.name not in response.content.decode()


def test_an_analyst_sees_pseudonyms_and_cannot_reveal_identity(
    project: Project, recorded_person: Person, analyst: User
) -> None:
    url = f"/p/{project.slug}/people/{recorded_person.pseudonym}/"
    client = signed_in(analyst)
    assert recorded_person.pseudonym in client.get(url).content.decode()
    revealed = client.post(url).content.decode()
    assert "Canarito" not in revealed
    assert not AuditEvent.objects.filter(action="cases.identity.reveal").exists()


def test_an_attorney_reveals_identity_and_the_reveal_is_audited(
    project: Project, recorded_person: Person, attorney: User
) -> None:
    url = f"/p/{project.slug}/people/{recorded_person.pseudonym}/"
    client = signed_in(attorney)
    assert "Canarito" not in client.get(url).content.decode()
    response = client.post(url)
    assert "Canarito" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="cases.identity.reveal")
    assert event.actor_label == "attorney"


def test_without_the_master_key_the_person_page_says_so_instead_of_crashing(
    project: Project, recorded_person: Person, attorney: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimonio.web.keys.ring import forget_keys

    monkeypatch.delenv("TESTIMONIO_MASTER_KEY")
    forget_keys()
    try:
        response = signed_in(attorney).post(
            f"/p/{project.slug}/people/{recorded_person.pseudonym}/"
        )
    finally:
        monkeypatch.undo()
        forget_keys()
    assert response.status_code == 200
    assert "Identity data cannot be shown: No master key" in response.content.decode()
