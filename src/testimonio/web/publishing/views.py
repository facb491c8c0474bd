"""Publishing pages: generate the evidence packet and the public report, approve, list releases.

For attorneys and administrators (the ``publish`` and ``approve_publication`` capabilities).
Another member gets 403 and the refusal is audited (they know the project exists); someone
with no role in it gets 404, like every project page. Generation runs in the request: the
demo world's packet and report take seconds (docs/reporting.md has the figures), and the
files come back as one ZIP download, so nothing generated is kept on the server. Each
generation is audited with the output's SHA-256 and the snapshot's.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.errors import TestimonioError
from testimonio.reporting import PacketSettings
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may, membership_or_404
from testimonio.web.publishing.actions import (
    do_approve_publication,
    do_record_refusal,
    suppression_rule,
)
from testimonio.web.publishing.forms import ApproveForm, EvidenceForm
from testimonio.web.publishing.generate import generate_evidence, generate_public
from testimonio.web.publishing.models import PublicationApproval, ReportKind, ReportRun


def _refused(request: HttpRequest, membership: Membership, what: str) -> HttpResponse:
    do_record_refusal(request.user, membership.project, what)
    context = {"project": membership.project}
    return render(request, "publishing/refused.html", context, status=403)


def _zip(folder: Path, paths: dict[str, Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted({*paths.values()}):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _context(membership: Membership) -> dict[str, object]:
    project = membership.project
    return {
        "membership": membership,
        "project": project,
        "rule": suppression_rule(int(project.publication_threshold)),
        "runs": ReportRun.objects.filter(project=project).select_related("approval")[:20],
        "approvals": PublicationApproval.objects.filter(project=project)[:20],
        "may_approve": may(membership, "approve_publication"),
    }


@login_required
@require_safe
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """What was generated and approved so far, and the way to each page."""
    membership = membership_or_404(request.user, slug)
    if not may(membership, "publish"):
        return _refused(request, membership, "publishing_page")
    return render(request, "publishing/index.html", _context(membership))


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, slug: str) -> HttpResponse:
    """The packet's options; a POST builds it from a fresh snapshot and sends the files."""
    membership = membership_or_404(request.user, slug)
    if not may(membership, "publish"):
        return _refused(request, membership, "evidence_packet")
    project = membership.project
    form = EvidenceForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {**_context(membership), "form": form}
    if request.method == "POST" and form.is_valid():
        settings = PacketSettings(title=project.name, bates_prefix=form.cleaned_data[
            "bates_prefix"], bates_start=form.cleaned_data["bates_start"])  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="testimonio-packet-") as folder:
            try:
                outcome = generate_evidence(project, Path(folder), request.user, settings)
            except TestimonioError as error:  # never linked, no records, a bad prefix
                context["problem"] = str(error)
                return render(request, "publishing/evidence.html", context)
            files = dict(outcome.result.paths)
            if outcome.signed_pdf is not None:
                files["signed_pdf"] = outcome.signed_pdf
            content = _zip(Path(folder), files)
        return _download(content, f"{slug}-evidence-packet-{outcome.result.sha256[:12]}.zip")
    return render(request, "publishing/evidence.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def public(request: HttpRequest, slug: str) -> HttpResponse:
    """What the public report will be; a POST builds it and sends the files (a draft unless
    this snapshot is approved)."""
    membership = membership_or_404(request.user, slug)
    if not may(membership, "publish"):
        return _refused(request, membership, "public_report")
    project = membership.project
    context = _context(membership)
    if request.method == "POST":
        with tempfile.TemporaryDirectory(prefix="testimonio-public-") as folder:
            try:
                outcome = generate_public(project, Path(folder), request.user)
            except TestimonioError as error:
                context["problem"] = str(error)
                return render(request, "publishing/public.html", context)
            content = _zip(Path(folder), outcome.result.paths)
        kind = "release" if outcome.approval else "draft"
        return _download(content, f"{slug}-public-{kind}-{outcome.result.release_id}.zip")
    return render(request, "publishing/public.html", context)


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
