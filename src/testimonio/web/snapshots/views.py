"""The project dashboard: key figures with intervals, charts, filters, and who is behind a figure.

Every member of the project may see it (persons appear by pseudonym only, as on the project
page); an outsider gets a 404. Filters and the figure asked for travel in the query string
as codes (a port, a quarter, a nationality, a vulnerability code, a figure id), never a name.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.analysis import behind, standard_panel
from testimonio.errors import TestimonioError
from testimonio.web.accounts.permissions import membership_or_404, membership_with
from testimonio.web.cases.models import Person
from testimonio.web.snapshots.actions import do_mark_named_plaintiff, do_unmark_named_plaintiff
from testimonio.web.snapshots.charts import shares_chart
from testimonio.web.snapshots.dashboard import (
    FILTERS,
    chosen_filters,
    filter_choices,
    linkage_rows,
    project_data,
)

#: The most persons the click-through lists on one page.
BEHIND_LIMIT = 500


def _query(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET[name] for name in FILTERS if request.GET.get(name)}


@login_required
@require_safe
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_or_404(request.user, slug)
    project = membership.project
    query = _query(request)
    context: dict[str, object] = {"membership": membership, "project": project, "query": query}
    try:
        data = project_data(project)
        context["choices"] = filter_choices(data)
        figures = standard_panel(data, where=chosen_filters(query))
    except TestimonioError as error:  # no records, never linked, a filter with no one
        context["problem"] = str(error)
        return render(request, "snapshots/dashboard.html", context)
    filters = urlencode(query)
    context["figures"] = [
        (figure, f"?{urlencode({'figure': figure.id, **query})}") for figure in figures
    ]
    person_figures = [figure for figure in figures if not figure.id.startswith("tactic:")]
    # The title is no format string ("95% i" only looks like one to xgettext).
    # xgettext:no-python-format
    title = gettext("People: shares with 95% intervals")
    context["key_chart"] = shares_chart(person_figures, "figure", title)
    tactics = [figure for figure in figures if figure.id.startswith("tactic:")]
    context["tactic_chart"] = shares_chart(
        tactics, "tactic", gettext("Tactics met by people turned away")
    )
    context["filters"] = filters
    context["linkage_rows"] = linkage_rows(data)
    context["snapshot_sha256"] = data.snapshot_sha256
    return render(request, "snapshots/dashboard.html", context)


@login_required
@require_safe
def figure_behind(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_or_404(request.user, slug)
    project = membership.project
    query = _query(request)
    figure_id = request.GET.get("figure", "")
    context: dict[str, object] = {"membership": membership, "project": project,
                                  "figure_id": figure_id, "query": query,
                                  "back": f"?{urlencode(query)}"}  # fmt: skip
    try:
        data = project_data(project)
        persons, events = behind(data, figure_id, chosen_filters(query))
    except TestimonioError as error:
        context["problem"] = str(error)
        return render(request, "snapshots/behind.html", context)
    context.update(
        persons=persons[:BEHIND_LIMIT], person_count=len(persons), event_count=len(events),
        events=events[:BEHIND_LIMIT], limit=BEHIND_LIMIT,
    )  # fmt: skip
    return render(request, "snapshots/behind.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def named_plaintiff(request: HttpRequest, slug: str, pseudonym: str) -> HttpResponse:
    """Mark (or with ``remove``, unmark) the person a named plaintiff; attorneys and admins.
    A GET asks for confirmation; the person page's button posts here directly."""
    membership = membership_with(request.user, slug, "designate_named_plaintiffs")
    person = get_object_or_404(Person, project=membership.project, pseudonym=pseudonym)
    if request.method == "GET":
        context = {"membership": membership, "project": membership.project, "person": person,
                   "named_plaintiff": hasattr(person, "named_plaintiff")}  # fmt: skip
        return render(request, "snapshots/named_plaintiff.html", context)
    try:
        if request.POST.get("remove"):
            do_unmark_named_plaintiff(person, request.user)
            messages.info(request, gettext("No longer a named plaintiff."))
        else:
            do_mark_named_plaintiff(person, request.user)
            messages.info(request, gettext("Marked as a named plaintiff."))
    except TestimonioError as error:  # already one / not one
        messages.error(request, str(error))
    return redirect("cases:person_detail", slug=slug, pseudonym=pseudonym)
