"""Bad input on the intake form, in English and Spanish: a message on the form, nothing
half-saved, no traceback (issue 16)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from testimonio.web.cases.models import Encounter, Person, Project, Record
from testimonio.web.intake.actions import do_save_intake_draft
from testimonio.web.intake.models import Intake, IntakeDraft
from tests.web.clients import signed_in
from tests.web.intake.testimonies import form_post

pytestmark = pytest.mark.django_db

ENGLISH, SPANISH = {"HTTP_ACCEPT_LANGUAGE": "en"}, {"HTTP_ACCEPT_LANGUAGE": "es"}


def url(project: Project, page: str = "new/") -> str:
    return f"/p/{project.slug}/intake/{page}"


def nothing_saved() -> bool:
    return not (
        Intake.objects.exists()
        or Person.objects.exists()
        or Record.objects.exists()
        or Encounter.objects.exists()
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (ENGLISH, "This day does not exist in that month."),
        (SPANISH, "Ese día no existe en ese mes."),
    ],
)
def test_an_impossible_date_is_refused_in_the_users_language(
    project: Project, intake_officer: User, language: dict[str, str], message: str
) -> None:
    data = form_post(**{"encounter-0-date_year": "2019", "encounter-0-date_month": "2"})
    data["encounter-0-date_day"] = "30"
    response = signed_in(intake_officer).post(url(project), data, **language)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_saved()


@pytest.mark.parametrize(
    ("language", "message"),
    [(ENGLISH, "Select a valid choice"), (SPANISH, "Escoja una opción válida")],
)
def test_a_forged_port_is_refused_in_the_users_language(
    project: Project, intake_officer: User, language: dict[str, str], message: str
) -> None:
    data = form_post(**{"encounter-0-port": "9999-NOPE"})
    response = signed_in(intake_officer).post(url(project), data, **language)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_saved()


@pytest.mark.parametrize(
    ("language", "message"),
    [(ENGLISH, "This field is required."), (SPANISH, "Este campo es obligatorio.")],
)
def test_a_missing_required_answer_is_named_in_the_users_language(
    project: Project, intake_officer: User, language: dict[str, str], message: str
) -> None:
    data = form_post(**{"encounter-0-date_year": ""})
    page = signed_in(intake_officer).post(url(project), data, **language).content.decode()
    assert message in page
    assert 'href="#id_encounter-0-date_year"' in page
    assert nothing_saved()


@pytest.mark.parametrize("language", [ENGLISH, SPANISH])
def test_a_double_submit_shows_the_first_save_and_creates_no_second_person(
    project: Project, intake_officer: User, language: dict[str, str]
) -> None:
    client = signed_in(intake_officer)
    first = client.post(url(project), form_post(), **language)
    second = client.post(url(project), form_post(), follow=True, **language)
    assert second.redirect_chain[-1][0] == first["Location"]
    assert Intake.objects.count() == 1
    assert Person.objects.count() == 2  # the person and the family member, once
    assert second.status_code == 200
    assert Intake.objects.get().person.pseudonym in second.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [(ENGLISH, "That draft is no longer kept"), (SPANISH, "Ese borrador ya no se conserva")],
)
def test_an_expired_draft_says_so_in_the_users_language(
    project: Project, intake_officer: User, language: dict[str, str], message: str
) -> None:
    draft = do_save_intake_draft(
        project, intake_officer, uuid.uuid4(), {"person-given_names": ["R"]}
    )
    IntakeDraft.objects.filter(pk=draft.pk).update(saved_at=timezone.now() - timedelta(days=15))
    response = signed_in(intake_officer).get(url(project, f"drafts/{draft.uuid}/"), **language)
    assert response.status_code == 404
    assert message in response.content.decode()
    assert not IntakeDraft.objects.exists()


def test_the_form_of_an_expired_draft_still_saves_once(
    project: Project, intake_officer: User
) -> None:
    data = form_post()
    draft = do_save_intake_draft(
        project, intake_officer, uuid.UUID(data["submission"]), {"person-given_names": ["Rosalba"]}
    )
    IntakeDraft.objects.filter(pk=draft.pk).update(saved_at=timezone.now() - timedelta(days=15))
    client = signed_in(intake_officer)
    client.get(url(project, "drafts/"))  # the purge runs: the draft is gone
    assert not IntakeDraft.objects.exists()
    assert client.post(url(project), data).status_code == 302  # what the page still holds
    assert Intake.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [(ENGLISH, "This form has expired"), (SPANISH, "Este formulario ha caducado")],
)
def test_a_csrf_failure_is_a_friendly_page_in_the_users_language(
    project: Project, intake_officer: User, language: dict[str, str], message: str
) -> None:
    client = signed_in(intake_officer)
    client.handler.enforce_csrf_checks = True
    response = client.post(url(project), form_post(), **language)
    page = response.content.decode()
    assert response.status_code == 403
    assert message in page
    assert "CSRF" not in page and "Rosalba" not in page  # no technical reason, no echo
    assert nothing_saved()
