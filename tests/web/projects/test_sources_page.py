"""The sources page: the admin lists, adds and edits the project's sources."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_source
from testimonio.web.cases.models import Project, Source
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db


def test_the_admin_adds_a_source_and_sees_it_listed(project: Project, admin: User) -> None:
    client = signed_in(admin)
    data = {"name": "Shelter survey", "kind": "survey", "description": "Kobo, 2018"}
    response = client.post(f"/p/{project.slug}/sources/", data)
    assert response.status_code == 302
    source = Source.objects.get(project=project)
    assert (source.name, source.kind, source.description) == (
        "Shelter survey",
        "survey",
        "Kobo, 2018",
    )
    assert AuditEvent.objects.filter(action="cases.source.create", actor_id=admin.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Shelter survey" in page and "Survey (KoboToolbox / ODK)" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Legal-aid intake log", "kind": "other"}, "already has a source of this name"),
        ({"name": "New list", "kind": "telepathy"}, "Select a valid choice."),
        ({"name": "   ", "kind": "other"}, "This field is required."),
    ],
)
def test_a_bad_source_is_named_on_the_form_and_not_added(
    project: Project, source: Source, admin: User, data: dict[str, str], message: str
) -> None:
    page = signed_in(admin).post(f"/p/{project.slug}/sources/", data)
    assert page.status_code == 200 and message in page.content.decode()
    assert Source.objects.filter(project=project).count() == 1


def test_the_admin_renames_a_source_and_the_change_is_audited(
    project: Project, source: Source, admin: User
) -> None:
    url = f"/p/{project.slug}/sources/{source.pk}/"
    response = signed_in(admin).post(url, {"name": "Intake log 2018", "description": "paper"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.description, source.kind) == (
        "Intake log 2018",
        "paper",
        "intake_log",
    )
    assert AuditEvent.objects.get(action="cases.source.update").details["changes"]["name"] == {
        "old": "Legal-aid intake log", "new": "Intake log 2018"
    }  # fmt: skip


def test_a_rename_to_another_sources_name_is_refused(
    project: Project, source: Source, admin: User
) -> None:
    other = do_create_source(project, "Survey", None)
    page = signed_in(admin).post(f"/p/{project.slug}/sources/{other.pk}/", {"name": source.name})
    assert "already has a source of this name" in page.content.decode()
    other.refresh_from_db()
    assert other.name == "Survey"


def test_another_projects_source_is_not_found(
    project: Project, admin: User, vocabulary: object
) -> None:
    from testimonio.web.cases.actions import do_create_project

    theirs = do_create_project("Theirs", project.vocabulary, None, slug="theirs")
    their_source = do_create_source(theirs, "Their log", None)
    url = f"/p/{project.slug}/sources/{their_source.pk}/"
    assert signed_in(admin).get(url).status_code == 404
