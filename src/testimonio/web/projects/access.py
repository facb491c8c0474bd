"""Who may open the setup pages: a project's administrators, and the instance's for creation.

A member without the right gets 403 and the refusal is audited (they know the project
exists); someone with no role in the project gets 404, as on every project page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may, membership_or_404
from testimonio.web.projects.actions import do_record_refusal

ProjectView = Callable[..., HttpResponse]


def refused(request: HttpRequest, membership: Membership | None, what: str) -> HttpResponse:
    """The 403 page, after auditing the refusal."""
    project = membership.project if membership is not None else None
    do_record_refusal(request.user, project, what)
    return render(request, "projects/refused.html", {"project": project}, status=403)


def for_administrators(capability: str) -> Callable[[ProjectView], ProjectView]:
    """Call the view as ``view(request, membership, **kwargs)`` if the user's role in the
    project ``slug`` grants ``capability``; 403 (audited) for other members, 404 otherwise
    (and the login page first for someone not signed in)."""

    def decorate(view: ProjectView) -> ProjectView:
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
            membership = membership_or_404(request.user, slug)
            if not may(membership, capability):
                return refused(request, membership, view.__name__)
            return view(request, membership, **kwargs)

        return login_required(wrapped)

    return decorate
