"""The project's members page: who has which role, and enrolment codes for the second factor.

Only the project's administrators open it (``manage_members``; 404 for everyone else); it also
lists the notices of exports with identities (who, when, how many records, the reason given).
They may create an enrolment code for a member of this project who has no authenticator yet,
never for an instance superuser (only the CLI does that): the code is shown once, on this
response only.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.web.accounts.actions import do_invite_user
from testimonio.web.accounts.models import AdminNotice, Membership
from testimonio.web.accounts.permissions import membership_with

INVITATION_VALID_FOR = timedelta(hours=72)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "manage_members")
    project = membership.project
    rows = list(Membership.objects.filter(project=project).select_related("user"))
    enrolled = set(
        TOTPDevice.objects.filter(user__memberships__project=project, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    invitable = {m.user_id for m in rows if m.user_id not in enrolled and not m.user.is_superuser}
    context: dict[str, object] = {
        "project": project,
        "rows": rows,
        "enrolled": enrolled,
        "notices": AdminNotice.objects.filter(project=project)[:50],
    }
    if request.method == "POST":
        target = _invitable_member(request.POST.get("user", ""), invitable)
        if target is None:
            context["error"] = gettext(
                "Choose a member of this project who has no authenticator yet."
            )
        else:
            code = do_invite_user(target, request.user, valid_for=INVITATION_VALID_FOR)
            context.update(invited=target, code=code)
    context["invitable"] = invitable
    return render(request, "accounts/members.html", context)


def _invitable_member(user_id: str, invitable: set[int]) -> User | None:
    if not user_id.isdigit() or int(user_id) not in invitable:
        return None
    return User.objects.get(pk=int(user_id))
