"""Creating a project and changing its settings from the browser: who may, and bad input."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.web.accounts.models import Membership
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project, VocabularyVersion
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db


def new_project(version: VocabularyVersion, **changes: str) -> dict[str, str]:
    data = {"name": "Rechazos 2019", "slug": "", "vocabulary": str(version.pk),
            "publication_threshold": "5"}  # fmt: skip
    data.update(changes)
    return data


def test_an_instance_administrator_creates_a_project_and_becomes_its_admin(
    operator: User, vocabulary: VocabularyVersion
) -> None:
    response = signed_in(operator).post("/projects/new/", new_project(vocabulary))
    project = Project.objects.get(slug="rechazos-2019")
    assert response.status_code == 302 and response["Location"] == "/p/rechazos-2019/"
    assert Membership.objects.get(project=project).user == operator
    assert Membership.objects.get(project=project).role == "admin"
    assert AuditEvent.objects.filter(action="cases.project.create", actor_id=operator.pk).exists()


def test_the_form_offers_the_loaded_vocabularies_and_the_models_default_k(
    operator: User, vocabulary: VocabularyVersion, other_vocabulary: VocabularyVersion
) -> None:
    page = signed_in(operator).get("/projects/new/").content.decode()
    assert f'value="{vocabulary.pk}"' in page and f'value="{other_vocabulary.pk}"' in page
    assert 'name="publication_threshold" value="5"' in page


def test_a_member_who_does_not_run_the_instance_gets_403_and_the_refusal_is_audited(
    attorney: User, vocabulary: VocabularyVersion
) -> None:
    client = signed_in(attorney)
    assert client.get("/projects/new/").status_code == 403
    assert client.post("/projects/new/", new_project(vocabulary)).status_code == 403
    assert not Project.objects.filter(slug="rechazos-2019").exists()
    refusal = AuditEvent.objects.filter(action="projects.refused", actor_id=attorney.pk).first()
    assert refusal is not None and refusal.details == {"what": "create_project"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"publication_threshold": "2"}, "greater than or equal to 3"),
        ({"slug": "turnbacks-2017"}, "Another project already has this short name."),
        ({"name": "Turnbacks 2017"}, "Another project already has this short name."),
        ({"name": "¿?"}, "Give a short name"),
        ({"vocabulary": "999"}, "Choose one of the vocabulary versions loaded."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_input_is_named_on_the_form_and_nothing_is_created(
    operator: User, project: Project, changes: dict[str, str], message: str
) -> None:
    response = signed_in(operator).post(
        "/projects/new/", new_project(project.vocabulary, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Project.objects.count() == 1


def test_a_spanish_administrator_reads_the_error_in_spanish(
    operator: User, project: Project
) -> None:
    data = new_project(project.vocabulary, slug="turnbacks-2017")
    page = signed_in(operator).post("/projects/new/", data, HTTP_ACCEPT_LANGUAGE="es")
    assert "Otro proyecto ya tiene este nombre corto." in page.content.decode()


def settings_post(project: Project, **changes: str) -> dict[str, str]:
    data = {"name": project.name, "vocabulary": str(project.vocabulary_id),
            "publication_threshold": str(project.publication_threshold)}  # fmt: skip
    data.update(changes)
    return data


def test_the_admin_changes_the_name_and_k(project: Project, admin: User) -> None:
    client = signed_in(admin)
    data = settings_post(project, name="Turn-backs 2017-2019", publication_threshold="11")
    response = client.post(f"/p/{project.slug}/settings/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Turn-backs 2017-2019" and project.publication_threshold == 11
    assert "Settings saved." in client.get(response["Location"]).content.decode()


def test_a_bad_k_on_the_settings_page_changes_nothing(project: Project, admin: User) -> None:
    data = settings_post(project, name="Renamed", publication_threshold="1")
    page = signed_in(admin).post(f"/p/{project.slug}/settings/", data, HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200 and "No se guardó nada" in page.content.decode()
    project.refresh_from_db()
    assert project.name == "Turn-backs 2017" and project.publication_threshold == 5


def test_the_vocabulary_cannot_change_on_the_page_once_there_are_records(
    project: Project, admin: User, other_vocabulary: VocabularyVersion
) -> None:
    from testimonio.web.cases.actions import do_create_record, do_create_source

    do_create_record(do_create_source(project, "log", None), None)
    data = settings_post(project, vocabulary=str(other_vocabulary.pk))
    page = signed_in(admin).post(f"/p/{project.slug}/settings/", data)
    assert "cannot change once the project has records" in page.content.decode()
    project.refresh_from_db()
    assert project.vocabulary != other_vocabulary


@pytest.mark.parametrize("page", ["settings/", "sources/", "members/"])
def test_other_members_get_403_audited_and_outsiders_404(
    project: Project, attorney: User, outsider: User, page: str
) -> None:
    assert signed_in(attorney).get(f"/p/{project.slug}/{page}").status_code == 403
    assert AuditEvent.objects.filter(action="projects.refused", actor_id=attorney.pk).exists()
    assert signed_in(outsider).get(f"/p/{project.slug}/{page}").status_code == 404


def test_the_project_page_links_to_the_setup_pages_for_its_admins_only(
    project: Project, admin: User, attorney: User
) -> None:
    admin_page = signed_in(admin).get(f"/p/{project.slug}/").content.decode()
    attorney_page = signed_in(attorney).get(f"/p/{project.slug}/").content.decode()
    for link in ("settings/", "sources/", "members/"):
        assert f'href="/p/{project.slug}/{link}"' in admin_page
        assert f'href="/p/{project.slug}/{link}"' not in attorney_page


def test_the_project_list_offers_creation_to_instance_administrators_only(
    operator: User, attorney: User
) -> None:
    assert 'href="/projects/new/"' in signed_in(operator).get("/").content.decode()
    assert 'href="/projects/new/"' not in signed_in(attorney).get("/").content.decode()
