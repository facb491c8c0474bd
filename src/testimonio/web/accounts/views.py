"""The project's members page: who has which role; inviting, changing roles, removing; and
enrolment codes for the second factor.

Only the project's administrators open it (``manage_members``): another member gets 403 and
the refusal is audited, someone with no role in the project 404. It also lists the notices of
exports with identities (who, when, how many records, the reason given).

Inviting creates the account, gives it its role and an enrolment code in one transaction; the
password and the code are shown once, on that response only, for the administrator to hand
over (the code by another channel than the password). An enrolment code can also be made for
a member who has no authenticator yet, never for an instance superuser (only the CLI does
that).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.web.accounts.actions import (
    do_add_member,
    do_change_role,
    do_create_user,
    do_invite_user,
    do_remove_member,
)
from testimonio.web.accounts.forms import InviteForm, RemoveForm, RoleForm
from testimonio.web.accounts.models import AdminNotice, Membership, Role
from testimonio.web.projects.access import for_administrators

INVITATION_VALID_FOR = timedelta(hours=72)


@never_cache
@require_http_methods(["GET", "POST"])
@for_administrators("manage_members")
def members(request: HttpRequest, membership: Membership) -> HttpResponse:
    project = membership.project
    context: dict[str, object] = {"project": project, "invite_form": InviteForm()}
    action = request.POST.get("action", "enrol") if request.method == "POST" else ""
    if action == "invite":
        context.update(_invite(request, membership))
    elif action in ("role", "remove"):
        response = _change(request, membership, action)
        if isinstance(response, HttpResponse):
            return response
        context.update(response)
    elif action:
        context.update(_enrolment_code(request, membership))
    context.update(_roster(membership))
    return render(request, "accounts/members.html", context)


def _roster(membership: Membership) -> dict[str, object]:
    project = membership.project
    rows = list(Membership.objects.filter(project=project).select_related("user"))
    enrolled = set(
        TOTPDevice.objects.filter(user__memberships__project=project, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    invitable = {m.user_id for m in rows if m.user_id not in enrolled and not m.user.is_superuser}
    return {
        "rows": rows,
        "roles": Role.choices,
        "enrolled": enrolled,
        "invitable": invitable,
        "notices": AdminNotice.objects.filter(project=project)[:50],
    }


def _invite(request: HttpRequest, membership: Membership) -> dict[str, object]:
    """A new account with its role and an enrolment code; nothing of it if any step fails."""
    form = InviteForm(request.POST)
    if not form.is_valid():
        return {"invite_form": form}
    data = form.cleaned_data
    with transaction.atomic():
        user, password = do_create_user(data["username"], request.user, email=data["email"])
        do_add_member(membership.project, user, data["role"], request.user)
        code = do_invite_user(user, request.user, valid_for=INVITATION_VALID_FOR)
    login_url = request.build_absolute_uri(reverse("login"))
    return {"invited": user, "code": code, "password": password, "login_url": login_url}


def _change(
    request: HttpRequest, membership: Membership, action: str
) -> HttpResponse | dict[str, object]:
    """A role change or a removal; back to the page (a reload repeats nothing) when done."""
    form_class = RoleForm if action == "role" else RemoveForm
    form = form_class(request.POST, project_id=membership.project_id)
    if not form.is_valid():
        return {
            "error": " ".join(str(message) for errors in form.errors.values() for message in errors)
        }
    assert form.membership is not None  # noqa: S101 - clean_user sets it when valid
    target = form.membership.user
    if isinstance(form, RoleForm):
        do_change_role(membership.project, target, form.cleaned_data["role"], request.user)
        done = gettext("Role changed for %(username)s.")
    else:
        do_remove_member(membership.project, target, request.user)
        done = gettext("%(username)s was removed from the project.")
    messages.success(request, done % {"username": target.username})
    return redirect("accounts:members", slug=membership.project.slug)


def _enrolment_code(request: HttpRequest, membership: Membership) -> dict[str, object]:
    invitable = _roster(membership)["invitable"]
    target = _invitable_member(request.POST.get("user", ""), invitable)  # type: ignore[arg-type]
    if target is None:
        return {"error": gettext("Choose a member of this project who has no authenticator yet.")}
    code = do_invite_user(target, request.user, valid_for=INVITATION_VALID_FOR)
    return {"invited": target, "code": code}


def _invitable_member(user_id: str, invitable: set[int]) -> User | None:
    if not user_id.isdigit() or int(user_id) not in invitable:
        return None
    return User.objects.get(pk=int(user_id))
