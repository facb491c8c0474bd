"""Intake drafts: kept sealed for their author, resumed, discarded on save, purged in time."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.utils import timezone

from testimonio.cli.main import cli
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.intake.actions import do_purge_intake_drafts, do_save_intake_draft
from testimonio.web.intake.drafts import open_payload
from testimonio.web.intake.models import Intake, IntakeDraft
from testimonio.web.keys.models import DataKey
from tests.web.clients import signed_in
from tests.web.conftest import member
from tests.web.intake.testimonies import database_text, form_post, leaked

pytestmark = pytest.mark.django_db

SUBMISSION = form_post()["submission"]
AUTOSAVE = {"HTTP_X_INTAKE_AUTOSAVE": "1"}


def url(project: Project, page: str) -> str:
    return f"/p/{project.slug}/intake/{page}"


def draft_post(**changes: str | list[str]) -> dict[str, object]:
    data = form_post(**changes)
    del data["save"]
    return {**data, "save_draft": "1"}


def test_save_draft_keeps_the_form_sealed_and_says_until_when(
    project: Project, intake_officer: User
) -> None:
    response = signed_in(intake_officer).post(url(project, "new/"), draft_post())
    draft = IntakeDraft.objects.get()
    assert response.status_code == 200
    assert "Draft saved" in response.content.decode()
    assert not Intake.objects.exists()
    assert leaked(database_text()) == []
    assert open_payload(draft)["person-given_names"] == ["Rosalba"]
    assert "csrfmiddlewaretoken" not in open_payload(draft)
    event = AuditEvent.objects.get(action="intake.draft.save")
    assert event.details == {"draft": str(draft.uuid), "created": True}


def test_each_autosave_of_a_page_replaces_its_one_draft(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    first = client.post(url(project, "new/"), draft_post(), **AUTOSAVE)
    second = client.post(
        url(project, "new/"), draft_post(**{"person-given_names": "Rosa"}), **AUTOSAVE
    )
    assert (first.status_code, second.status_code) == (204, 204)
    draft = IntakeDraft.objects.get()
    assert open_payload(draft)["person-given_names"] == ["Rosa"]
    assert AuditEvent.objects.filter(action="intake.draft.save").count() == 2


def test_its_author_resumes_a_draft_from_my_drafts(project: Project, intake_officer: User) -> None:
    client = signed_in(intake_officer)
    client.post(url(project, "new/"), draft_post())
    draft = IntakeDraft.objects.get()
    listing = client.get(url(project, "drafts/")).content.decode()
    assert f"/intake/drafts/{draft.uuid}/" in listing
    assert leaked(listing) == []  # the list shows times only
    page = client.get(url(project, f"drafts/{draft.uuid}/")).content.decode()
    assert 'value="Rosalba"' in page
    assert f'name="submission" value="{SUBMISSION}"' in page


def test_nobody_else_sees_a_draft_not_even_an_administrator(
    project: Project, intake_officer: User, attorney: User
) -> None:
    signed_in(intake_officer).post(url(project, "new/"), draft_post())
    draft = IntakeDraft.objects.get()
    for other in (attorney, member(project, "alice_admin", "admin")):
        client = signed_in(other)
        resumed = client.get(url(project, f"drafts/{draft.uuid}/"))
        assert resumed.status_code == 404
        assert leaked(resumed.content.decode()) == []
        assert f"{draft.uuid}" not in client.get(url(project, "drafts/")).content.decode()
        client.post(url(project, f"drafts/{draft.uuid}/discard/"))
    assert IntakeDraft.objects.filter(pk=draft.pk).exists()


def test_another_member_cannot_overwrite_a_draft_by_its_page_token(
    project: Project, intake_officer: User, attorney: User
) -> None:
    signed_in(intake_officer).post(url(project, "new/"), draft_post())
    response = signed_in(attorney).post(
        url(project, "new/"), draft_post(**{"person-given_names": "Mallory"}), **AUTOSAVE
    )
    assert response.status_code == 409
    assert open_payload(IntakeDraft.objects.get())["person-given_names"] == ["Rosalba"]


def test_saving_the_testimony_discards_its_draft_and_key(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    client.post(url(project, "new/"), draft_post())
    draft = IntakeDraft.objects.get()
    assert client.post(url(project, "new/"), form_post()).status_code == 302
    assert not IntakeDraft.objects.exists()
    assert not DataKey.objects.filter(owner=draft.uuid).exists()
    event = AuditEvent.objects.get(action="intake.draft.discard")
    assert event.details == {"draft": str(draft.uuid), "reason": "saved"}


def test_a_late_autosave_after_the_save_makes_no_draft(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    client.post(url(project, "new/"), form_post())
    response = client.post(url(project, "new/"), draft_post(), **AUTOSAVE)
    assert response.status_code == 409
    assert not IntakeDraft.objects.exists()


def test_its_author_discards_a_draft_after_confirming(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    client.post(url(project, "new/"), draft_post())
    draft = IntakeDraft.objects.get()
    confirm = client.get(url(project, f"drafts/{draft.uuid}/discard/"))
    assert confirm.status_code == 200
    assert IntakeDraft.objects.exists()
    response = client.post(url(project, f"drafts/{draft.uuid}/discard/"))
    assert response["Location"] == url(project, "drafts/")
    assert not IntakeDraft.objects.exists()
    assert not DataKey.objects.filter(owner=draft.uuid).exists()
    assert AuditEvent.objects.get(action="intake.draft.discard").details["reason"] == "discarded"


def saved_days_ago(project: Project, author: User, days: int) -> IntakeDraft:
    draft = do_save_intake_draft(project, author, uuid.uuid4(), {"person-surnames": ["Q"]})
    IntakeDraft.objects.filter(pk=draft.pk).update(saved_at=timezone.now() - timedelta(days=days))
    return draft


def test_drafts_older_than_the_setting_are_purged_with_their_keys(
    project: Project, intake_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TESTIMONIO_INTAKE_DRAFT_DAYS", "3")
    old = saved_days_ago(project, intake_officer, 4)
    recent = saved_days_ago(project, intake_officer, 2)
    assert do_purge_intake_drafts(None) == 1
    assert list(IntakeDraft.objects.all()) == [recent]
    assert not DataKey.objects.filter(owner=old.uuid).exists()
    event = AuditEvent.objects.get(action="intake.draft.expire")
    assert event.details == {"draft": str(old.uuid)}


def test_an_expired_draft_is_gone_with_a_message_when_resumed(
    project: Project, intake_officer: User
) -> None:
    old = saved_days_ago(project, intake_officer, 15)  # the default keeps 14 days
    response = signed_in(intake_officer).get(url(project, f"drafts/{old.uuid}/"))
    assert response.status_code == 404
    assert "no longer kept" in response.content.decode()
    assert not IntakeDraft.objects.exists()


def test_the_purge_command_reports_how_many_it_deleted(
    project: Project, intake_officer: User
) -> None:
    saved_days_ago(project, intake_officer, 30)
    result = CliRunner().invoke(cli, ["intake", "purge-drafts"])
    assert result.exit_code == 0, result.output
    assert "Purged 1 expired intake draft(s)." in result.output
    assert not IntakeDraft.objects.exists()
