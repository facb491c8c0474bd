"""Linkage as a background job: one per project, progress, failures that apply nothing."""

from __future__ import annotations

import importlib
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project, Record
from testimonio.web.linking import actions, jobs
from testimonio.web.linking.jobs import do_start_linkage_job, run_linkage_job
from testimonio.web.linking.models import LinkageJob, LinkRun
from tests.web.clients import signed_in
from tests.web.linking.factories import make_world

GUARD = importlib.import_module("testimonio.web.audit.migrations.0002_append_only_on_postgresql")


@pytest.fixture
def audit_guard_put_back(django_db_blocker: Any) -> Iterator[None]:
    """Set up before the test database, so it tears down after the flush: puts back the audit
    log's append-only guard that :func:`committed` lifted for the flush."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(GUARD.POSTGRES_FORWARD)
        else:
            for statement in GUARD.SQLITE_FORWARD:
                cursor.execute(statement)


@pytest.fixture
def committed(audit_guard_put_back: None, transactional_db: None) -> Iterator[None]:
    """Data really committed (a worker thread has its own connection), and the audit log,
    which refuses DELETE and TRUNCATE, emptiable by the flush after the test."""
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(GUARD.POSTGRES_BACKWARD)
        else:
            for statement in GUARD.SQLITE_BACKWARD:
                cursor.execute(statement)


def wait_for_worker(seconds: float) -> LinkageJob:
    """The one job, read after its worker thread has ended.

    Why not read the job first: SQLite's in-memory test database is shared-cache, where a
    read while the worker writes the same table fails at once ("database table is locked";
    the busy timeout does not apply), so nothing is read until the worker is done.
    """
    for worker in threading.enumerate():
        if worker.name.startswith("linkage-job-"):
            worker.join(seconds)
    return LinkageJob.objects.get()


def dead_pid() -> int:
    """The id of a process that has ended (a killed worker's, say)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.django_db
def test_a_second_request_gets_the_running_job_instead_of_a_new_one(
    project: Project, analyst: User
) -> None:
    first, created = do_start_linkage_job(project, analyst)
    again, created_again = do_start_linkage_job(project, analyst)
    assert created and not created_again and again == first
    assert LinkageJob.objects.count() == 1
    client = signed_in(analyst)
    response = client.post(f"/p/{project.slug}/linkage/")
    assert response.url.endswith(f"/linkage/jobs/{first.pk}/")
    page = client.get(response.url).content
    assert b"Running" in page and b'http-equiv="refresh"' in page
    linkage_page = client.get(f"/p/{project.slug}/linkage/").content
    assert b"follow it" in linkage_page and b"Run linkage</button>" not in linkage_page


@pytest.mark.django_db
def test_a_job_whose_process_died_is_marked_failed_on_the_next_start(
    project: Project, analyst: User
) -> None:
    killed = LinkageJob.objects.create(project=project, pid=dead_pid(), host=socket.gethostname())
    job, created = do_start_linkage_job(project, analyst)
    assert created and job != killed
    killed.refresh_from_db()
    assert killed.status == "failed" and "nothing was applied" in killed.error
    assert AuditEvent.objects.filter(action="analyses.linkage.job.failed").exists()


@pytest.mark.django_db
def test_a_job_silent_for_too_long_is_taken_for_dead(project: Project, analyst: User) -> None:
    elsewhere = LinkageJob.objects.create(project=project, pid=1, host="another-machine")
    long_ago = timezone.now() - jobs.STALE_AFTER - timedelta(minutes=1)
    LinkageJob.objects.filter(pk=elsewhere.pk).update(updated_at=long_ago)
    signed_in(analyst).get(f"/p/{project.slug}/linkage/")  # anyone looking repairs it
    elsewhere.refresh_from_db()
    assert elsewhere.status == "failed"


@pytest.mark.django_db
def test_a_live_job_on_another_machine_is_left_running(project: Project, analyst: User) -> None:
    elsewhere = LinkageJob.objects.create(project=project, pid=1, host="another-machine")
    job, created = do_start_linkage_job(project, analyst)
    assert not created and job == elsewhere


@pytest.mark.slow
@pytest.mark.django_db
def test_a_job_reports_its_stages_and_ends_with_its_run(
    project: Project, analyst: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_world(project, people=8)
    seen: list[tuple[str, int]] = []
    recorded = jobs._progress
    monkeypatch.setattr(
        jobs, "_progress", lambda job_id, s, p: (seen.append((s, p)), recorded(job_id, s, p))
    )
    job, _ = do_start_linkage_job(project, analyst)
    ended = run_linkage_job(job.pk)
    assert ended.status == "finished" and ended.progress == 100
    assert ended.link_run == LinkRun.objects.get()
    assert ended.link_run.created_by == analyst
    stages = [stage for stage, _ in seen]
    assert stages[0] == "reading records" and "applying the run" in stages
    assert [percent for _, percent in seen] == sorted(percent for _, percent in seen)


@pytest.mark.slow
@pytest.mark.django_db
def test_a_run_that_fails_while_applying_changes_nothing(
    project: Project, analyst: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_world(project, people=8)
    before = dict(Record.objects.values_list("pk", "person_id"))

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full, Canarito")

    monkeypatch.setattr(actions, "_store_review_pairs", broken)
    job, _ = do_start_linkage_job(project, analyst)
    ended = run_linkage_job(job.pk)
    assert ended.status == "failed" and ended.error == jobs.INTERNAL_ERROR
    assert "Canarito" not in ended.error
    assert dict(Record.objects.values_list("pk", "person_id")) == before
    assert not LinkRun.objects.exists()


@pytest.mark.slow
def test_the_page_runs_linkage_in_a_worker_thread(
    committed: None, project: Project, analyst: User
) -> None:
    make_world(project, people=8)
    client = signed_in(analyst)
    response = client.post(f"/p/{project.slug}/linkage/")
    job = wait_for_worker(300)
    assert job.status == "finished", job.error
    page = client.get(response.url).content
    assert b"finished" in page and b'http-equiv="refresh"' not in page
    assert LinkRun.objects.filter(pk=job.link_run_id).exists()


def test_a_worker_thread_ends_its_job_with_a_clear_error(
    committed: None, project: Project, analyst: User
) -> None:
    """A real thread on its own connection (no records: it fails at once, on any database)."""
    response = signed_in(analyst).post(f"/p/{project.slug}/linkage/")
    job = wait_for_worker(60)
    assert job.status == "failed" and job.error == "the project has no records to link"
    assert response.url.endswith(f"/linkage/jobs/{job.pk}/")
    assert job.pk not in jobs._LIVE_JOBS
