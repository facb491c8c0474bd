"""Report jobs: one running per project and kind, dead workers found, output sealed and
purged, downloads audited and role-checked; the packet's estimate is one of the current data."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from testimonio.errors import InputError, PermissionDenied
from testimonio.estimation import dga_estimate, loglinear_estimate
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.evidence.store import document_store
from testimonio.web.keys.models import DataKey
from testimonio.web.linking.estimates import do_record_estimate_runs
from testimonio.web.linking.histories import project_capture_histories
from testimonio.web.publishing import jobs
from testimonio.web.publishing.estimates import packet_estimate
from testimonio.web.publishing.jobs import (
    do_mark_abandoned_report_jobs,
    do_purge_report_outputs,
    do_start_report_job,
    read_report_output,
    run_report_job,
)
from testimonio.web.publishing.models import ReportJob, ReportKind
from tests.web.publishing.test_audit_hash import SEPARATION
from tests.web.snapshots.world import ImportedWorld

pytestmark = pytest.mark.django_db


def test_a_second_start_finds_the_running_job_and_other_roles_are_refused(
    project: Project, members: dict[str, User]
) -> None:
    attorney = members["attorney"]
    job, created = do_start_report_job(project, attorney, ReportKind.EVIDENCE)
    again, created_again = do_start_report_job(project, members["admin"], ReportKind.EVIDENCE)
    other, other_created = do_start_report_job(project, attorney, ReportKind.PUBLIC)
    assert created and not created_again and again.pk == job.pk
    assert other_created and other.pk != job.pk  # one running job per kind, not per project
    with pytest.raises(PermissionDenied):
        do_start_report_job(project, members["analyst"], ReportKind.EVIDENCE)
    assert ReportJob.objects.count() == 2
    assert AuditEvent.objects.filter(action="publishing.job.start").count() == 2
    assert AuditEvent.objects.filter(action="publishing.refused").count() == 1


def test_a_job_whose_worker_died_is_marked_failed(
    project: Project, members: dict[str, User]
) -> None:
    job, _ = do_start_report_job(project, members["attorney"], ReportKind.EVIDENCE)
    assert do_mark_abandoned_report_jobs(project, None) == 0  # promised to this process
    jobs._LIVE_JOBS.discard(job.pk)  # as if this process had restarted since
    assert do_mark_abandoned_report_jobs(project, None) == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.error == jobs.ABANDONED
    fresh, created = do_start_report_job(project, members["attorney"], ReportKind.EVIDENCE)
    assert created and fresh.pk != job.pk


def test_a_failed_generation_keeps_nothing_and_says_why(
    project: Project, members: dict[str, User]
) -> None:
    job, _ = do_start_report_job(project, members["attorney"], ReportKind.PUBLIC)
    ended = run_report_job(job.pk)  # the project was never linked
    assert ended.status == "failed" and ended.error and not ended.output_storage
    assert ended.run is None and not ended.downloadable
    with pytest.raises(InputError):
        read_report_output(ended, members["attorney"])


@pytest.mark.slow
@pytest.mark.filterwarnings(SEPARATION)
def test_the_output_is_sealed_read_by_publishers_only_and_purged_after_a_day(
    world: ImportedWorld, project: Project, members: dict[str, User]
) -> None:
    job, _ = do_start_report_job(project, members["attorney"], ReportKind.PUBLIC)
    ended = run_report_job(job.pk)
    assert ended.status == "finished" and ended.downloadable, ended.error
    stored = document_store().path(ended.output_storage)
    ciphertext = stored.read_bytes()
    assert b"feed.xml" not in ciphertext and not ciphertext.startswith(b"PK")  # not a bare ZIP

    data = read_report_output(ended, members["admin"])
    zip_path = Path(str(stored) + ".zip")
    zip_path.write_bytes(data)
    assert "feed.xml" in zipfile.ZipFile(zip_path).namelist()
    with pytest.raises(PermissionDenied):
        read_report_output(ended, members["viewer"])
    downloads = AuditEvent.objects.filter(action="publishing.job.download")
    assert [event.actor_id for event in downloads] == [members["admin"].pk]

    assert do_purge_report_outputs(None) == 0  # less than a day old
    ReportJob.objects.filter(pk=ended.pk).update(finished_at=timezone.now() - timedelta(days=2))
    assert do_purge_report_outputs(None) == 1
    ended.refresh_from_db()
    assert ended.output_purged_at is not None and not ended.downloadable
    assert not stored.exists()
    assert DataKey.objects.get(owner=ended.uuid).wrapped is None  # crypto-shredded
    with pytest.raises(InputError):
        read_report_output(ended, members["admin"])


def record_estimates(project: Project) -> list[Any]:
    histories, digest = project_capture_histories(project)
    assert not isinstance(histories, dict)
    panel = [loglinear_estimate(histories, "stepwise", seed=1), dga_estimate(histories)]
    return do_record_estimate_runs(project, {"": panel}, None, input_hash=digest,
                                   settings={"source": "test"}, seed=1)  # fmt: skip


def test_the_packet_states_the_recorded_estimate_of_the_current_data_only(
    world: ImportedWorld, project: Project
) -> None:
    none = packet_estimate(project)
    assert none.estimate is None and "no population estimate is recorded" in none.note

    runs = record_estimates(project)
    chosen = packet_estimate(project)
    assert chosen.estimate is not None, chosen.note
    first = runs[0].result
    assert chosen.estimate.method == first["method"]
    assert chosen.estimate.estimate == pytest.approx(first["estimate"])
    assert chosen.estimate.lower <= chosen.estimate.estimate <= chosen.estimate.upper
    assert [row["method"] for row in chosen.estimate.sensitivity] == [runs[1].method]
    assert chosen.estimate.assumptions and chosen.runs == (runs[0].pk, runs[1].pk)

    runs[0].__class__.objects.filter(pk__in=[run.pk for run in runs]).update(input_hash="f" * 64)
    outdated = packet_estimate(project)  # as if the lists or the linkage had changed since
    assert outdated.estimate is None and "made from other data" in outdated.note
