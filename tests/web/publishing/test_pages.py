"""The publish pages: attorneys and administrators generate (a background job whose ZIP is
downloaded from its page, audited with its hash) and approve; other members get 403 and an
audit event; outsiders 404."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.publishing.jobs import run_report_job
from testimonio.web.publishing.models import PublicationApproval, ReportJob, ReportRun
from tests.web.clients import signed_in
from tests.web.publishing.test_audit_hash import SEPARATION
from tests.web.snapshots.world import ImportedWorld

pytestmark = pytest.mark.django_db
PAGES = ("", "evidence/", "public/", "approve/")


@pytest.mark.parametrize("role", ["intake", "analyst", "viewer"])
def test_other_members_get_403_and_each_refusal_is_audited(
    project: Project, members: dict[str, User], role: str
) -> None:
    client = signed_in(members[role])
    for page in PAGES:
        assert client.get(f"/p/{project.slug}/publish/{page}").status_code == 403, page
    assert client.post(f"/p/{project.slug}/publish/evidence/").status_code == 403
    refusals = AuditEvent.objects.filter(action="publishing.refused", actor_id=members[role].pk)
    assert [event.details["what"] for event in refusals.order_by("sequence")] == [
        "publishing_page", "evidence_packet", "public_report", "approve_publication",
        "evidence_packet",
    ]  # fmt: skip
    assert not ReportRun.objects.exists()


def test_an_outsider_gets_404_and_learns_nothing(
    project: Project, members: dict[str, User]
) -> None:
    client = signed_in(members["outsider"])
    for page in PAGES:
        assert client.get(f"/p/{project.slug}/publish/{page}").status_code == 404, page


def test_a_project_never_linked_says_so_on_the_job_page(
    project: Project, members: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(members["attorney"])
    with django_capture_on_commit_callbacks(execute=False) as started:
        response = client.post(f"/p/{project.slug}/publish/public/")
    assert response.status_code == 302 and len(started) == 1  # the worker thread, not run
    job = ReportJob.objects.get()
    assert response["Location"] == f"/p/{project.slug}/publish/jobs/{job.pk}/"
    run_report_job(job.pk)  # what that thread does, here in the test's transaction
    page = client.get(response["Location"])
    assert b'class="problem"' in page.content and b'data-status="failed"' in page.content
    assert not ReportRun.objects.exists()


def generated(client: Client, url: str, data: dict[str, str], capture: Any) -> ReportJob:
    """POST the form, run the job it started, and return the ended job."""
    with capture(execute=False):
        response = client.post(url, data)
    assert response.status_code == 302, response.content[:300]
    job_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    return run_report_job(job_id)


def download(client: Client, job: ReportJob) -> zipfile.ZipFile:
    response = client.get(f"/p/{job.project.slug}/publish/jobs/{job.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert job.output_name in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


@pytest.mark.slow
@pytest.mark.filterwarnings(SEPARATION)
def test_an_attorney_downloads_the_packet_then_approves_the_report(
    world: ImportedWorld, project: Project, members: dict[str, User],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client = signed_in(members["attorney"])
    base = f"/p/{project.slug}/publish/"
    capture = django_capture_on_commit_callbacks
    asked = {"bates_prefix": "TB", "bates_start": "1", "estimate": "on"}
    job = generated(client, base + "evidence/", asked, capture)
    assert job.status == "finished", job.error
    assert "no population estimate is recorded" in job.note
    names = set(download(client, job).namelist())
    assert {"evidence-packet.docx", "evidence-packet.pdf", "packet-manifest.json"} <= names
    event = AuditEvent.objects.get(action="publishing.evidence.generate")
    assert event.actor_id == members["attorney"].pk
    assert event.details["packet_sha256"][:12] in job.output_name
    assert AuditEvent.objects.filter(action="publishing.job.download").count() == 1

    assert b"No draft has been generated yet" in client.get(base + "approve/").content
    draft = generated(client, base + "public/", {}, capture)
    assert "public-draft-" in draft.output_name
    report = download(client, draft)
    assert "tables/" in " ".join(report.namelist()) and "feed.xml" in report.namelist()
    sha = ReportRun.objects.get(kind="public").input_hash

    unticked = client.post(base + "approve/", {"snapshot_sha256": sha, "approved_on": "2026-12-01"})
    assert unticked.status_code == 200 and not PublicationApproval.objects.exists()
    answer = {"snapshot_sha256": sha, "approved_on": "2026-12-01", "confirm": "on"}
    assert client.post(base + "approve/", answer).status_code == 302
    approval = PublicationApproval.objects.get()
    assert approval.approved_by == members["attorney"] and approval.snapshot_sha256 == sha

    released = generated(client, base + "public/", {}, capture)
    assert "public-release-" in released.output_name
    html = download(client, released).read("index.html").decode()
    assert "2026-12" in html and "attorney-user" not in html
    listing = client.get(base).content.decode()
    assert "published release" in listing and sha in listing
