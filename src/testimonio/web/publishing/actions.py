"""Every change publishing makes: ``do_*`` functions, one transaction, audited.

- ``publishing.evidence.generate`` / ``publishing.public.generate``: a generation, with the
  packet's (or the report's) SHA-256 and the snapshot's, so ``audit verify`` covers which
  files were made from which data;
- ``publishing.approve``: an approval (snapshot, date, k), who approved is the event's actor;
- ``publishing.refused``: a member whose role may not publish asked to (a page, an approval).
  The refusal is written in its own transaction before the error is raised, so it stays on
  record.

Nothing here holds an identity: snapshots are pseudonymous, and details carry hashes, dates,
k and counts only.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from testimonio.errors import InputError, PermissionDenied
from testimonio.provenance import package_versions
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Project
from testimonio.web.publishing.models import PublicationApproval, ReportKind, ReportRun

__all__ = [
    "do_approve_publication",
    "do_record_refusal",
    "do_record_report_run",
    "require_capability",
    "suppression_rule",
]

SHA256 = re.compile(r"[0-9a-f]{64}")
#: What a generation reads besides the snapshot, recorded with every run.
VERSIONED = ("testimonio", "duckdb", "weasyprint", "pypdf", "python-docx", "highspy")


def suppression_rule(threshold: int) -> str:
    """The rule an approval approves, in the words docs/methods.md explains."""
    return (
        f"Every count from 1 to {threshold - 1} is suppressed (primary); further cells are "
        "suppressed (complementary, chosen by an integer program over every table of the "
        "release and earlier releases of the same snapshot) so that no suppressed count can "
        "be worked out; an independent audit checks every suppressed cell's interval."
    )


def do_record_refusal(actor: Actor, project: Project, what: str) -> None:
    """Audit that ``actor`` was refused ``what`` (a page or an action name), in its own
    transaction so that the refusal outlives the error raised after it."""
    with transaction.atomic():
        record_event(actor, "publishing.refused", project, project_id=project.pk,
                     details={"what": what})  # fmt: skip


def require_capability(actor: Actor, project: Project, capability: str, what: str) -> None:
    """Raise :class:`PermissionDenied` (after auditing it) unless ``actor``'s role in
    ``project`` grants ``capability``. ``None`` is the instance's operator (the CLI), who
    holds the keys and is allowed."""
    if actor is None:
        return
    membership = None
    if actor.is_authenticated:
        membership = Membership.objects.filter(project=project, user_id=actor.pk).first()
    if membership is None or not may(membership, capability):
        do_record_refusal(actor, project, what)
        raise PermissionDenied(f"your role in this project may not {what.replace('_', ' ')}")


def do_record_report_run(
    project: Project, actor: Actor, kind: ReportKind, *, snapshot_sha256: str,
    output_sha256: str, settings: dict[str, Any], release: dict[str, Any] | None = None,
    approval: PublicationApproval | None = None, extra: dict[str, str] | None = None,
) -> ReportRun:  # fmt: skip
    """Store one generation with its provenance and audit it with both hashes (and ``extra``
    hashes: the signed PDF's)."""
    with transaction.atomic():
        run = ReportRun.objects.create(
            project=project,
            created_by=actor if isinstance(actor, User) else None,
            kind=kind,
            input_hash=snapshot_sha256,
            output_sha256=output_sha256,
            settings=settings,
            package_versions=package_versions(VERSIONED),
            approval=approval,
            release=release or {},
        )
        details: dict[str, Any] = {
            "snapshot_sha256": snapshot_sha256,
            f"{'packet' if kind == ReportKind.EVIDENCE else 'report'}_sha256": output_sha256,
            "run": run.pk,
            **(extra or {}),
        }
        if kind == ReportKind.PUBLIC:
            details["threshold"] = settings.get("threshold")
            details["release"] = (release or {}).get("id")
            details["approval"] = approval.pk if approval else None
        record_event(actor, f"publishing.{kind}.generate", run, project_id=project.pk,
                     details=details)  # fmt: skip
    return run


def do_approve_publication(
    user: Actor, project: Project, snapshot_sha256: str, approved_on: dt.date | None = None,
) -> PublicationApproval:  # fmt: skip
    """Approve the public report of the snapshot ``snapshot_sha256`` under the project's k.

    Only a member whose role grants ``approve_publication`` (attorneys, administrators) may;
    anyone else is refused and audited. A snapshot no draft was generated from is refused:
    an approval is of a report someone could read first.
    """
    if not isinstance(user, User):
        raise PermissionDenied("an approval must be given by a named attorney or administrator")
    require_capability(user, project, "approve_publication", "approve_publication")
    snapshot_sha256 = snapshot_sha256.strip().lower()
    if not SHA256.fullmatch(snapshot_sha256):
        raise InputError("the snapshot SHA-256 is not 64 hexadecimal digits",
                         column="snapshot_sha256")  # fmt: skip
    drafted = ReportRun.objects.filter(
        project=project, kind=ReportKind.PUBLIC, input_hash=snapshot_sha256
    ).exists()
    if not drafted:
        raise InputError("no public report draft was generated from this snapshot; generate "
                         "one and read it first", column="snapshot_sha256")  # fmt: skip
    approved_on = approved_on or timezone.localdate()
    threshold = int(project.publication_threshold)
    with transaction.atomic():
        approval = PublicationApproval.objects.create(
            project=project, snapshot_sha256=snapshot_sha256, approved_on=approved_on,
            approved_by=user, threshold=threshold, rule=suppression_rule(threshold),
        )  # fmt: skip
        record_event(
            user, "publishing.approve", approval, project_id=project.pk,
            details={"snapshot_sha256": snapshot_sha256,
                     "approved_on": approved_on.isoformat(), "threshold": threshold},
        )  # fmt: skip
    return approval
