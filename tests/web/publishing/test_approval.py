"""Approving a public report: attorneys and administrators only, of a drafted snapshot; every
refusal audited; the approved report is dated by the approval and never names who approved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from testimonio.errors import InputError, PermissionDenied
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.publishing.actions import do_approve_publication
from testimonio.web.publishing.generate import generate_public, published_history
from testimonio.web.publishing.models import PublicationApproval
from tests.web.snapshots.world import ImportedWorld

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["intake", "analyst", "viewer", "outsider"])
def test_other_roles_are_refused_and_the_refusal_is_audited(
    project: Project, members: dict[str, User], role: str
) -> None:
    with pytest.raises(PermissionDenied):
        do_approve_publication(members[role], project, "a" * 64)
    assert not PublicationApproval.objects.exists()
    refusal = AuditEvent.objects.get(action="publishing.refused")
    assert refusal.actor_id == members[role].pk
    assert refusal.details == {"what": "approve_publication"}


def test_the_operator_cannot_approve_without_naming_a_person(project: Project) -> None:
    with pytest.raises(PermissionDenied):
        do_approve_publication(None, project, "a" * 64)


def test_a_snapshot_no_draft_was_made_from_is_refused(
    project: Project, members: dict[str, User]
) -> None:
    with pytest.raises(InputError, match="no public report draft"):
        do_approve_publication(members["attorney"], project, "b" * 64)
    with pytest.raises(InputError, match="64 hexadecimal"):
        do_approve_publication(members["attorney"], project, "not a hash")
    assert not PublicationApproval.objects.exists()


@pytest.mark.slow
def test_a_draft_then_an_approval_then_the_published_release(
    world: ImportedWorld, project: Project, members: dict[str, User], tmp_path: Path
) -> None:
    draft = generate_public(project, tmp_path / "draft", members["attorney"])
    assert draft.approval is None and not draft.run.published
    html = (tmp_path / "draft" / "index.html").read_text(encoding="utf-8")
    assert "Draft: not approved" in html
    assert published_history(project) == []

    approval = do_approve_publication(
        members["attorney"], project, draft.snapshot_sha256, dt.date(2026, 11, 30)
    )
    event = AuditEvent.objects.get(action="publishing.approve")
    assert event.actor_id == members["attorney"].pk
    assert event.details == {"snapshot_sha256": draft.snapshot_sha256,
                             "approved_on": "2026-11-30", "threshold": 5}  # fmt: skip
    assert approval.threshold == project.publication_threshold
    assert "from 1 to 4 is suppressed" in approval.rule

    released = generate_public(project, tmp_path / "release", members["admin"])
    assert released.approval == approval and released.run.published
    assert released.snapshot_sha256 == draft.snapshot_sha256  # the same data, the same hash
    out = tmp_path / "release"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Approved for publication: 2026-11." in html
    assert "Draft" not in html
    every_file = b"".join(path.read_bytes() for path in out.rglob("*") if path.is_file())
    for name in ("attorney-user", "admin-user"):
        assert name.encode() not in every_file
    history = published_history(project)
    assert [entry["id"] for entry in history] == [released.result.release_id]
    assert history[0]["approved"] is True and history[0]["month"] == "2026-11"


@pytest.mark.slow
def test_an_approval_of_other_data_leaves_the_report_a_draft(
    world: ImportedWorld, project: Project, members: dict[str, User], tmp_path: Path
) -> None:
    draft = generate_public(project, tmp_path / "draft", members["attorney"])
    do_approve_publication(members["attorney"], project, draft.snapshot_sha256)
    Project.objects.filter(pk=project.pk).update(publication_threshold=7)  # k changed since
    project.refresh_from_db()
    again = generate_public(project, tmp_path / "again", members["attorney"])
    assert again.approval is None and again.approval_outdated
    assert "Draft: not approved" in (tmp_path / "again" / "index.html").read_text("utf-8")
