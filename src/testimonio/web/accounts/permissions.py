"""Least privilege in one place: which role may do what, and the project lookup every view uses.

Deny by default: a user with no membership in a project gets 404 for all of it, so the
existence of another team's project is not revealed.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from testimonio.web.accounts.models import IDENTITY_ROLES, Membership, Role

#: capability -> roles that have it.
CAPABILITIES: dict[str, frozenset[str]] = {
    "view_project": frozenset(Role.values),
    "view_identity": frozenset(IDENTITY_ROLES),
    "record_accounts": frozenset({Role.ADMIN, Role.ATTORNEY, Role.INTAKE}),
    "code_encounters": frozenset({Role.ADMIN, Role.ATTORNEY, Role.INTAKE}),
    # A declaration's paragraphs are the declarant's own words, names included.
    "view_declarations": frozenset(IDENTITY_ROLES),
    "code_declarations": frozenset({Role.ADMIN, Role.ATTORNEY, Role.INTAKE}),
    # Importing shows an upload's rows (identities) and writes records.
    "import": frozenset({Role.ADMIN, Role.ATTORNEY, Role.INTAKE}),
    # Record-level data, pseudonymous for every role unless it may export identities.
    "export": frozenset({Role.ADMIN, Role.ATTORNEY, Role.INTAKE, Role.ANALYST}),
    # Identities in bulk: the roles that also need a second factor, and then only with a
    # verified session, a reason and within the cap (accounts/identity_policy.py).
    "export_identities": frozenset({Role.ADMIN, Role.ATTORNEY}),
    "run_analyses": frozenset({Role.ADMIN, Role.ATTORNEY, Role.ANALYST}),
    # Deciding review-queue pairs on pseudonymous evidence (field agreement levels, match
    # weights, dates, ports, attributes), never on names: an analyst's decision is as good
    # as the evidence shown, and names on the page would add a reveal per pair for a role
    # that otherwise never sees one. Attorneys and administrators see names there too.
    "decide_links": frozenset({Role.ADMIN, Role.ATTORNEY, Role.ANALYST}),
    "split_persons": frozenset({Role.ADMIN, Role.ATTORNEY}),  # undo a wrong linkage merge
    # Who the named plaintiffs are is a litigation decision (typicality is measured on them).
    "designate_named_plaintiffs": frozenset({Role.ADMIN, Role.ATTORNEY}),
    # The evidence packet and the public report (pseudonymous, but what the team files and
    # publishes), and the attorney's approval that turns a draft report into a release.
    "publish": frozenset({Role.ADMIN, Role.ATTORNEY}),
    "approve_publication": frozenset({Role.ADMIN, Role.ATTORNEY}),
    # How agreement is measured (the double-coded share, the minimum alpha a term must reach
    # before the packet stops flagging it) is part of the evidence a court weighs.
    "set_coding_policy": frozenset({Role.ADMIN, Role.ATTORNEY}),
    "manage_members": frozenset({Role.ADMIN}),
}


def membership_or_404(user: AbstractBaseUser | AnonymousUser, slug: str) -> Membership:
    """The user's membership in the project ``slug``, or 404 (never 403: no existence leak)."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("project", "project__vocabulary")
        .filter(user_id=user.pk, project__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def membership_with(
    user: AbstractBaseUser | AnonymousUser, slug: str, capability: str
) -> Membership:
    """The user's membership in ``slug`` if their role grants ``capability``; else 404."""
    membership = membership_or_404(user, slug)
    if not may(membership, capability):
        raise Http404
    return membership


def memberships_of(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    """The projects a user has a role in (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk).select_related("project")


def may(membership: Membership, capability: str) -> bool:
    """Whether the member's role grants ``capability`` (unknown capabilities are denied)."""
    return membership.role in CAPABILITIES.get(capability, frozenset())
