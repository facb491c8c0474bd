"""Publishing pages: generate the evidence packet and the public report, approve, list releases.

For attorneys and administrators (the ``publish`` and ``approve_publication`` capabilities).
Another member gets 403 and the refusal is audited (they know the project exists); someone
with no role in it gets 404, like every project page. Generation runs in the background
(:mod:`testimonio.web.publishing.jobs`): the form starts a job and leads to its page, which
refreshes itself until the files can be downloaded as one ZIP (kept sealed for a day, each
download audited). Each generation is audited with the output's SHA-256 and the snapshot's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.errors import TestimonioError
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may, membership_or_404
from testimonio.web.publishing.actions import (
    do_approve_publication,
    do_record_refusal,
    suppression_rule,
)
from testimonio.web.publishing.estimates import recorded_estimate_runs
from testimonio.web.publishing.forms import ApproveForm, EvidenceForm
from testimonio.web.publishing.jobs import (
    do_mark_abandoned_report_jobs,
    do_purge_report_outputs,
    do_start_report_job,
    read_report_output,
    start_report_job,
)
from testimonio.web.publishing.models import PublicationApproval, ReportJob, ReportKind, ReportRun


def _refused(request: HttpRequest, membership: Membership, what: str) -> HttpResponse:
    do_record_refusal(request.user, membership.project, what)
    context = {"project": membership.project}
    return render(request, "publishing/refused.html", context, status=403)


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _start(request: HttpRequest, membership: Membership, kind: ReportKind,
           options: dict[str, object]) -> HttpResponse:  # fmt: skip
    job, created = do_start_report_job(membership.project, request.user, kind, options)
    if created:
        start_report_job(job)
    return redirect("publishing:job", slug=membership.project.slug, job_id=job.pk)


def _context(membership: Membership) -> dict[str, object]:
    project = membership.project
    return {
        "membership": membership,
        "project": project,
        "rule": suppression_rule(int(project.publication_threshold)),
        "runs": ReportRun.objects.filter(project=project).select_related("approval")[:20],
        "approvals": PublicationApproval.objects.filter(project=project)[:20],
        "may_approve": may(membership, "approve_publication"),
        "jobs": ReportJob.objects.filter(project=project).select_related("requested_by")[:10],
    }


@login_required
@require_safe
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """What was generated and approved so far, and the way to each page."""
    membership = membership_or_404(request.user, slug)
    if not may(membership, "publish"):
        return _refused(request, membership, "publishing_page")
    do_purge_report_outputs(request.user)
    do_mark_abandoned_report_jobs(membership.project, request.user)
    return render(request, "publishing/index.html", _context(membership))


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, slug: str) -> HttpResponse:
    """The packet's options; a POST starts building it from a fresh snapshot."""
    membership = membership_or_404(request.user, slug)
    if not may(membership, "publish"):
        return _refused(request, membership, "evidence_packet")
    form = EvidenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _start(request, membership, ReportKind.EVIDENCE, dict(form.cleaned_data))
    estimates = recorded_estimate_runs(membership.project)[:5]
    context = {**_context(membership), "form": form, "estimates": estimates}
    return render(request, "publishing/evidence.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def public(request: HttpRequest, slug: str) -> HttpResponse:
    """What the public report will be; a POST starts building it (a draft unless this
    snapshot is approved)."""
    membership = membership_or_404(request.user, slug)
    if not may(membership, "publish"):
        return _refused(request, membership, "public_report")
    if request.method == "POST":
        return _start(request, membership, ReportKind.PUBLIC, {})
    return render(request, "publishing/public.html", _context(membership))


@login_required
@require_safe
def job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """A generation's progress; once finished, the way to its files."""
    membership = membership_or_404(request.user, slug)
    if not may(membership, "publish"):
        return _refused(request, membership, "report_job")
    do_mark_abandoned_report_jobs(membership.project, request.user)
    found = get_object_or_404(
        ReportJob.objects.select_related("run", "requested_by"), pk=job_id,
        project=membership.project,
    )  # fmt: skip
    context = {"membership": membership, "project": membership.project, "job": found}
    return render(request, "publishing/job.html", context)


@login_required
@require_safe
def job_download(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """A finished job's ZIP (decrypted in memory; the download is audited)."""
    membership = membership_or_404(request.user, slug)
    if not may(membership, "publish"):
        return _refused(request, membership, "download_report")
    found = get_object_or_404(ReportJob, pk=job_id, project=membership.project)
    try:
        content = read_report_output(found, request.user)
    except TestimonioError as error:
        messages.error(request, str(error))
        return redirect("publishing:job", slug=slug, job_id=found.pk)
    return _download(content, found.output_name)


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, slug: str) -> HttpResponse:
    """Approve the public report of a drafted snapshot: a form with a confirmation tick."""
    membership = membership_or_404(request.user, slug)
    if not may(membership, "approve_publication"):
        return _refused(request, membership, "approve_publication")
    project = membership.project
    drafted = ReportRun.objects.filter(project=project, kind=ReportKind.PUBLIC)
    snapshots = list(dict.fromkeys(drafted.values_list("input_hash", flat=True)))
    form = ApproveForm(request.POST if request.method == "POST" else None, snapshots=snapshots)
    context = {**_context(membership), "form": form, "drafts": bool(snapshots)}
    if request.method == "POST" and form.is_valid():
        try:
            do_approve_publication(request.user, project, form.cleaned_data["snapshot_sha256"],
                                   form.cleaned_data["approved_on"])  # fmt: skip
        except TestimonioError as error:
            context["problem"] = str(error)
            return render(request, "publishing/approve.html", context)
        messages.success(request, _("Approved: the next public report of this snapshot is "
                                    "published, not a draft."))  # fmt: skip
        return redirect("publishing:index", slug=slug)
    return render(request, "publishing/approve.html", context)
