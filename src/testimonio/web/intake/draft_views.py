"""The intake form's drafts: saving one (autosave or the button), the author's list of them,
resuming one and discarding one.

A draft is its author's alone: another member, an administrator included, gets a 404 for it
(it holds identities typed but never reviewed; it expires on its own). URLs carry only the
draft's random UUID; the payload never leaves the sealed column except into its author's page.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.errors import TestimonioError
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import membership_with
from testimonio.web.intake.actions import (
    do_discard_intake_draft,
    do_purge_intake_drafts,
    do_save_intake_draft,
    draft_expiry,
)
from testimonio.web.intake.drafts import draft_fields, open_payload
from testimonio.web.intake.models import IntakeDraft

#: The header the form's autosave script sends: it wants a status code, not a page.
AUTOSAVE_HEADER = "X-Intake-Autosave"


def save_draft(
    request: HttpRequest, membership: Membership, submission: uuid.UUID
) -> HttpResponse | IntakeDraft:
    """Save the posted form as its page's draft; an autosave gets only a status code (204,
    or 409 when refused), the button gets the draft back for the page to say so."""
    assert isinstance(request.user, User)  # noqa: S101 (login_required ran)
    autosave = AUTOSAVE_HEADER in request.headers
    try:
        fields = draft_fields(dict(request.POST.lists()))
        draft = do_save_intake_draft(membership.project, request.user, submission, fields)
    except TestimonioError:
        if autosave:
            return HttpResponse(status=409)
        raise
    return HttpResponse(status=204) if autosave else draft


@login_required
@require_safe
def draft_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "record_accounts")
    do_purge_intake_drafts(None)
    return _list_page(request, membership)


@login_required
@never_cache
@require_safe
def resume_draft(request: HttpRequest, slug: str, draft: uuid.UUID) -> HttpResponse:
    from testimonio.web.intake.views import form_page

    membership = membership_with(request.user, slug, "record_accounts")
    do_purge_intake_drafts(None)
    found = _own_draft(request, membership, draft)
    if found is None:
        return _list_page(request, membership, missing=True)
    data = QueryDict(mutable=True)
    for name, values in open_payload(found).items():
        data.setlist(name, values)
    return form_page(
        request, membership, data, submission=found.submission, show_errors=False, draft=found
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def discard_draft(request: HttpRequest, slug: str, draft: uuid.UUID) -> HttpResponse:
    membership = membership_with(request.user, slug, "record_accounts")
    found = _own_draft(request, membership, draft)
    if found is None:
        return _list_page(request, membership, missing=True)
    if request.method == "GET":  # a confirmation page: discarding cannot be undone
        context = {"project": membership.project, "draft": found, "expires": draft_expiry(found)}
        return render(request, "intake/discard_draft.html", context)
    do_discard_intake_draft(found, request.user)
    return redirect("intake:drafts", slug=slug)


def _own_draft(
    request: HttpRequest, membership: Membership, draft: uuid.UUID
) -> IntakeDraft | None:
    return IntakeDraft.objects.filter(
        project=membership.project, author_id=request.user.pk, uuid=draft
    ).first()


def _list_page(
    request: HttpRequest, membership: Membership, *, missing: bool = False
) -> HttpResponse:
    drafts = IntakeDraft.objects.filter(
        project=membership.project, author_id=request.user.pk
    ).order_by("-saved_at")
    context = {
        "project": membership.project,
        "drafts": [(draft, draft_expiry(draft)) for draft in drafts],
        "missing": missing,
    }
    return render(request, "intake/drafts.html", context, status=404 if missing else 200)
