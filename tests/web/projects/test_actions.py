"""The setup actions: what they change, what they record, and what they refuse."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.errors import InputError, ValidationError
from testimonio.web.accounts.actions import do_change_role, do_create_user
from testimonio.web.accounts.models import Membership
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_record
from testimonio.web.cases.models import Project, Source, VocabularyVersion
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.projects.actions import do_update_project_settings, do_update_source

pytestmark = pytest.mark.django_db


def test_a_settings_change_records_the_old_and_new_values_of_each_field_changed(
    project: Project, admin: User, other_vocabulary: VocabularyVersion
) -> None:
    old_vocabulary = str(project.vocabulary)
    changes = do_update_project_settings(
        project, admin, name="Turn-backs 2017", vocabulary=other_vocabulary,
        publication_threshold=10,
    )  # fmt: skip
    project.refresh_from_db()
    assert project.vocabulary == other_vocabulary and project.publication_threshold == 10
    event = AuditEvent.objects.get(action="projects.settings.update")
    assert event.actor_id == admin.pk and event.project_id == project.pk
    assert (
        event.details["changes"]
        == changes
        == {
            "vocabulary": {"old": old_vocabulary, "new": "other v1"},
            "publication_threshold": {"old": 5, "new": 10},
        }
    )


def test_saving_unchanged_settings_records_nothing(project: Project, admin: User) -> None:
    changes = do_update_project_settings(
        project, admin, name=project.name, vocabulary=project.vocabulary,
        publication_threshold=project.publication_threshold,
    )  # fmt: skip
    assert changes == {}
    assert not AuditEvent.objects.filter(action="projects.settings.update").exists()


def test_a_threshold_below_three_is_refused_and_nothing_changes(
    project: Project, admin: User
) -> None:
    with pytest.raises(ValidationError, match="at least 3"):
        do_update_project_settings(project, admin, name="Renamed", vocabulary=project.vocabulary,
                                   publication_threshold=2)  # fmt: skip
    project.refresh_from_db()
    assert project.name == "Turn-backs 2017" and project.publication_threshold == 5


def test_the_vocabulary_stays_once_the_project_has_records(
    project: Project, source: Source, admin: User, other_vocabulary: VocabularyVersion
) -> None:
    do_create_record(source, None, identity=IdentityFields("Rosalba", "Quintero"))
    with pytest.raises(InputError, match="vocabulary"):
        do_update_project_settings(project, admin, name=project.name, vocabulary=other_vocabulary,
                                   publication_threshold=5)  # fmt: skip
    project.refresh_from_db()
    assert project.vocabulary != other_vocabulary


def test_a_source_edit_records_what_changed(source: Source, admin: User) -> None:
    do_update_source(source, admin, name="Shelter survey", description=source.description)
    source.refresh_from_db()
    assert source.name == "Shelter survey"
    event = AuditEvent.objects.get(action="cases.source.update")
    assert event.details == {
        "changes": {"name": {"old": "Legal-aid intake log", "new": "Shelter survey"}}
    }


def test_a_role_change_is_audited_with_the_old_and_new_role(
    project: Project, admin: User, attorney: User
) -> None:
    do_change_role(project, attorney, "viewer", admin)
    assert Membership.objects.get(user=attorney).role == "viewer"
    event = AuditEvent.objects.get(action="accounts.membership.role_change")
    assert event.details == {"user_id": attorney.pk, "old_role": "attorney", "new_role": "viewer"}


def test_the_last_administrator_keeps_the_role(project: Project, admin: User) -> None:
    with pytest.raises(InputError, match="last administrator"):
        do_change_role(project, admin, "viewer", admin)
    assert Membership.objects.get(user=admin).role == "admin"


def test_a_role_change_needs_a_member_and_a_known_role(
    project: Project, admin: User, attorney: User, outsider: User
) -> None:
    with pytest.raises(InputError, match="no role"):
        do_change_role(project, outsider, "viewer", admin)
    with pytest.raises(ValidationError, match="unknown role"):
        do_change_role(project, attorney, "overlord", admin)
    assert not AuditEvent.objects.filter(action="accounts.membership.role_change").exists()


def test_a_new_users_email_is_kept_but_stays_out_of_the_audit_event(db: None) -> None:
    user, _ = do_create_user("maria", None, email="maria@example.org")
    assert user.email == "maria@example.org"
    event = AuditEvent.objects.get(action="accounts.user.create")
    assert "maria@example.org" not in str(event.details)
