"""Who may reveal identities, how many and how: the identity policy, enforced here only.

Two kinds of reveal, two sets of rules (docs/security.md, "Who may reveal identities"):

- **One person's identity** (the person page, a linkage review pair): roles with
  ``view_identity`` (administrators, attorneys, intake volunteers), at most
  ``TESTIMONIO_REVEALS_PER_HOUR`` records per member per project within any hour, counted from
  the audit log's reveal events. Beyond that the reveal is refused, with a message and an
  audit event, so that a stolen session or a curious insider cannot page through everyone.
- **Identities in bulk** (an export with names, birth dates and phones): only roles with
  ``export_identities`` (administrators and attorneys), with a second factor verified in this
  session, a stated reason (kept in the audit event), and at most
  ``TESTIMONIO_IDENTITY_EXPORT_CAP`` records in one web export. A larger export is refused on
  the web and left to the instance's operator (``testimonio export --with-identities
  --reason``), who holds the master key and so could read every identity anyway; the
  operator's exports need a reason too. Every export with identities leaves a notice for the
  project's administrators (:class:`~testimonio.web.accounts.models.AdminNotice`, their members
  page, and e-mail when an SMTP server is set) besides its audit events.

A refusal is recorded in its own transaction before the error is raised, so a refused attempt
stays on record. Views catch :class:`~testimonio.errors.PermissionDenied` and show its message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, override

from testimonio.errors import PermissionDenied
from testimonio.web.accounts.models import AdminNotice, Membership, Role
from testimonio.web.accounts.permissions import may
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project, Record
from testimonio.web.keys.identity import IdentityFields, reveal_identity

__all__ = [
    "OPERATOR",
    "Requester",
    "authorize_identity_export",
    "identity_export_refusal",
    "member_requester",
    "notify_identity_export",
    "reveal_for_member",
    "reveals_in_last_hour",
]

logger = logging.getLogger(__name__)

#: The reason bulk export reveals carry; they count against the export cap, not the hourly one.
EXPORT_REASON = "export"


@dataclass(frozen=True)
class Requester:
    """Who asks for identities: a member on the web, or the operator at the command line."""

    user: Actor
    #: None for the operator, who holds the master key and acts outside any project role.
    membership: Membership | None
    #: Whether the member passed the second factor in this session (the operator: always).
    second_factor: bool

    @property
    def is_operator(self) -> bool:
        return self.membership is None


OPERATOR = Requester(user=None, membership=None, second_factor=True)


def member_requester(request: HttpRequest, membership: Membership) -> Requester:
    """The signed-in member as a requester; django-otp says whether this session is verified."""
    verified = bool(getattr(request.user, "is_verified", lambda: False)())
    return Requester(user=request.user, membership=membership, second_factor=verified)


def identity_export_refusal(requester: Requester, records: int, reason: str) -> str | None:
    """Why an export with ``records`` records' identities is refused, or None if allowed."""
    if not reason.strip():
        return "State why the identities are needed: the reason is kept in the audit log."
    if requester.membership is None:  # the operator
        return None
    if not may(requester.membership, "export_identities"):
        return "Only attorneys and administrators may export identities; export pseudonymously."
    if not requester.second_factor:
        return "Pass the second factor in this session before exporting identities."
    cap = export_cap()
    if records > cap:
        return (
            f"This export would carry the identities of {records:,} records, more than the "
            f"{cap:,} a web export may carry. Ask the instance's operator for "
            "`testimonio export --with-identities --reason ...`, or export pseudonymously."
        )
    return None


def authorize_identity_export(
    requester: Requester, project: Project, records: int, reason: str
) -> None:
    """Raise :class:`PermissionDenied` (after auditing the refusal) unless the policy allows
    this export with identities."""
    refusal = identity_export_refusal(requester, records, reason)
    if refusal is None:
        return
    _record_refusal(
        requester.user, "cases.export.refused", project, {"records": records, "why": refusal}
    )
    raise PermissionDenied(refusal)


def notify_identity_export(
    project: Project, requester: Requester, details: Mapping[str, Any]
) -> AdminNotice:
    """Leave the project's administrators a notice of an export with identities (inside the
    export's transaction), audit it, and e-mail them after commit when mail is set up."""
    label = requester.user.get_username() if isinstance(requester.user, User) else "operator"
    via = "command line" if requester.is_operator else "web"
    notice = AdminNotice.objects.create(
        project=project,
        kind=AdminNotice.Kind.IDENTITY_EXPORT,
        actor_label=label,
        details={**details, "via": via},
    )
    record_event(
        requester.user,
        "accounts.notice.create",
        notice,
        project_id=project.pk,
        details={"kind": notice.kind, "records": details.get("records", 0), "via": via},
    )
    if getattr(settings, "TESTIMONIO_EMAIL_NOTICES", False):
        transaction.on_commit(lambda: _mail_admins(project, notice))
    return notice


def reveal_for_member(
    membership: Membership, user: User | AnonymousUser, records: Iterable[Record], *, reason: str
) -> list[IdentityFields]:
    """Open ``records``' identities for a member, one audited reveal each, within the role and
    the hourly limit; raise :class:`PermissionDenied` (audited when over the limit) otherwise."""
    if not may(membership, "view_identity"):
        raise PermissionDenied("Your role in this project does not show identities.")
    wanted = list(records)
    limit = reveals_per_hour()
    done = reveals_in_last_hour(user, membership.project)
    if done + len(wanted) > limit:
        details = {"limit": limit, "revealed": done, "asked": len(wanted), "reason": reason}
        _record_refusal(user, "cases.identity.reveal_refused", membership.project, details)
        raise PermissionDenied(
            f"You have revealed {done} identities in this project in the last hour; the limit "
            f"is {limit} an hour. Try again later, or ask an administrator if your work needs more."
        )
    return [reveal_identity(record, user, reason=reason) for record in wanted]


def reveals_in_last_hour(user: User | AnonymousUser, project: Project) -> int:
    """Records whose identity ``user`` revealed one by one in ``project`` within the hour."""
    since = timezone.now() - timedelta(hours=1)
    return (
        AuditEvent.objects.filter(
            action="cases.identity.reveal", actor_id=user.pk, project_id=project.pk, at__gte=since
        )
        .exclude(details__reason=EXPORT_REASON)
        .count()
    )


def export_cap() -> int:
    return int(getattr(settings, "TESTIMONIO_IDENTITY_EXPORT_CAP", 500))


def reveals_per_hour() -> int:
    return int(getattr(settings, "TESTIMONIO_REVEALS_PER_HOUR", 60))


def _record_refusal(actor: Actor, action: str, project: Project, details: dict[str, Any]) -> None:
    with transaction.atomic():
        record_event(actor, action, project, project_id=project.pk, details=details)


def _mail_admins(project: Project, notice: AdminNotice) -> None:
    """Tell the project's administrators; says who, how many and when, never the reason (it
    is free text and mail leaves the system) nor any identity."""
    recipients = sorted(
        email
        for email in User.objects.filter(
            memberships__project=project, memberships__role=Role.ADMIN, is_active=True
        ).values_list("email", flat=True)
        if email
    )
    if not recipients:
        return
    # Recipients' languages are not known (no profile keeps one): the notice goes in both.
    with override("en"):
        english = _notice_text(project, notice)
    with override("es"):
        spanish = _notice_text(project, notice)
    subject = (
        f"Testimonio: identities exported from {project.slug} / "
        f"identidades exportadas de {project.slug}"
    )
    try:
        send_mail(subject, f"{english}\n\n{spanish}", None, recipients)
    except OSError:
        logger.warning(
            "The notice of an identity export could not be e-mailed (project %s).", project.pk
        )


def _notice_text(project: Project, notice: AdminNotice) -> str:
    """The notice in the active language: who, how many records, how and when."""
    return gettext(
        "%(actor)s exported the identities of %(records)s records of project %(project)s "
        "(%(via)s) at %(when)s UTC. The reason is on the project's members page."
    ) % {
        "actor": notice.actor_label,
        "records": notice.details.get("records", 0),
        "project": project.slug,
        "via": notice.details.get("via"),
        "when": f"{notice.created_at:%Y-%m-%d %H:%M}",
    }
