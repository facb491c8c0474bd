"""Linkage pages: run linkage (a background job), the queue of uncertain pairs and of persons
whose records disagree, and one pair side by side.

Only roles that may run analyses see these pages (others get 404, like another project).
Identity values appear only on the pair page, only to roles that may see identities, and only
through the identity policy's :func:`reveal_for_member` (an audit event per record, within the
hourly limit). Deciding a pair is the ``decide_links`` capability: analysts decide on the
pseudonymous evidence shown (agreement levels, match weights, dates, ports), never on names.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.errors import TestimonioError
from testimonio.linkage import describe_disagreements
from testimonio.web.accounts.identity_policy import reveal_for_member
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may, membership_with
from testimonio.web.cases.models import Encounter, Person, Record
from testimonio.web.linking.actions import REVIEW_BAND, do_decide_pair
from testimonio.web.linking.jobs import (
    do_mark_abandoned_jobs,
    do_start_linkage_job,
    start_in_background,
)
from testimonio.web.linking.models import (
    Decision,
    JobStatus,
    LinkageJob,
    LinkRun,
    MatchDecision,
    ReviewPair,
)


@login_required
@require_http_methods(["GET", "POST"])
def linkage(request: HttpRequest, slug: str) -> HttpResponse:
    """The runs so far; a POST starts a background run, or finds the one already running."""
    membership = membership_with(request.user, slug, "run_analyses")
    project = membership.project
    if request.method == "POST":
        job, created = do_start_linkage_job(project, request.user)
        if created:
            start_in_background(job)
        return redirect("analyses:linkage_job", slug=slug, job_id=job.pk)
    do_mark_abandoned_jobs(project, request.user)
    context = {
        "membership": membership,
        "project": project,
        "runs": LinkRun.objects.filter(project=project).order_by("-pk")[:10],
        "running": LinkageJob.objects.filter(project=project, status=JobStatus.RUNNING).first(),
        "jobs": LinkageJob.objects.filter(project=project)[:5],
        "waiting": len(_waiting_pairs(project.pk)),
    }
    return render(request, "linking/linkage.html", context)


@login_required
@never_cache
@require_safe
def linkage_job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """One background run: its stage and progress, refreshed while it runs."""
    membership = membership_with(request.user, slug, "run_analyses")
    do_mark_abandoned_jobs(membership.project, request.user)
    job = get_object_or_404(
        LinkageJob.objects.select_related("link_run"), pk=job_id, project=membership.project
    )
    context = {"membership": membership, "project": membership.project, "job": job}
    return render(request, "linking/linkage_job.html", context)


def _latest_run(project_id: int) -> LinkRun | None:
    return LinkRun.objects.filter(project_id=project_id).order_by("-pk").first()


def _waiting_pairs(project_id: int) -> list[ReviewPair]:
    """The latest run's uncertain pairs nobody has decided yet, most likely first."""
    run = _latest_run(project_id)
    if run is None:
        return []
    decided = set(
        MatchDecision.objects.filter(project_id=project_id).values_list("record_a", "record_b")
    )
    pairs = run.review_pairs.select_related("record_a__person", "record_b__person")
    return [pair for pair in pairs if (pair.record_a_id, pair.record_b_id) not in decided]


@login_required
@require_safe
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "run_analyses")
    pairs = _waiting_pairs(membership.project.pk)
    context = {
        "membership": membership,
        "project": membership.project,
        "pairs": [(pair, describe_disagreements(pair.disagreements)) for pair in pairs],
        "band": REVIEW_BAND,
        "flagged": _flagged_persons(membership.project.pk),
    }
    return render(request, "linking/review_queue.html", context)


def _flagged_persons(project_id: int) -> list[tuple[Person, list[str]]]:
    """Persons whose records disagree strongly, each with the reasons in words (no values)."""
    flagged = Person.objects.filter(project_id=project_id, erased_at__isnull=True).exclude(
        disagreements=[]
    )
    return [(person, describe_disagreements(person.disagreements)) for person in flagged]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review_pair(request: HttpRequest, slug: str, pair_id: int) -> HttpResponse:
    membership = membership_with(request.user, slug, "run_analyses")
    pair = get_object_or_404(
        ReviewPair.objects.select_related("link_run"),
        pk=pair_id,
        link_run__project=membership.project,
    )
    error = ""
    if request.method == "POST" and may(membership, "decide_links"):
        try:
            do_decide_pair(pair, request.POST.get("decision", ""), request.user)
            return redirect("analyses:review_queue", slug=slug)
        except TestimonioError:
            error = gettext("Choose Same, Different or Unsure.")
    context = {
        "membership": membership,
        "project": membership.project,
        "pair": pair,
        "sides": _sides(pair),
        "decision": MatchDecision.objects.filter(
            record_a=pair.record_a_id, record_b=pair.record_b_id
        ).first(),
        "decisions": Decision.choices,
        "disagreements": describe_disagreements(pair.disagreements),
        "error": error,
        **_identities(membership, request, pair),
    }
    return render(request, "linking/review_pair.html", context)


def _sides(pair: ReviewPair) -> list[dict[str, Any]]:
    """What anyone who may run analyses sees of each record: no identity values."""
    records = Record.objects.select_related("source", "person", "nationality", "language")
    sides = []
    for record in (records.get(pk=pair.record_a_id), records.get(pk=pair.record_b_id)):
        encounters = Encounter.objects.filter(record=record).select_related("port")
        sides.append({"record": record, "encounters": list(encounters)})
    return sides


def _identities(membership: Membership, request: HttpRequest, pair: ReviewPair) -> dict[str, Any]:
    """Both records' identities for a role that may see them, each view audited."""
    if not may(membership, "view_identity"):
        return {"identities": [], "identity_error": ""}
    try:
        identities = reveal_for_member(
            membership, request.user, (pair.record_a, pair.record_b), reason="linkage review"
        )
    except TestimonioError as failure:  # no master key, erased person, tampered value
        return {"identities": [], "identity_error": str(failure)}
    return {"identities": identities, "identity_error": ""}
