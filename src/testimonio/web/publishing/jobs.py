"""Packets and public reports generated in the background, kept sealed until downloaded.

A packet of a large project takes tens of seconds (docs/benchmarks/reporting.md), too long
for a web request that a proxy or a browser may cut. The evidence and public pages ask
:func:`do_start_report_job` for a job (a :class:`ReportJob` row) and, when it is new, start a
worker thread (:func:`start_report_job`, machinery shared with linkage jobs in
:mod:`testimonio.web.background`); the job's page polls it and offers the download when done.

What must always hold:
- at most one running job per project and kind; a second click gets the running job;
- a job whose worker died is marked failed the next time anyone looks
  (:func:`do_mark_abandoned_report_jobs`); a generation is recorded (ReportRun, audit event)
  only once its files are complete, so a dead job recorded nothing or everything;
- the output is the ZIP the page used to send at once, now sealed in the document store under
  a data key of the job's own; reading it is audited (``publishing.job.download``) and open to
  the project's members who may publish. After :data:`KEEP_OUTPUT_FOR` it is purged (its key
  destroyed, its file deleted), so generated packets do not pile up on the server;
- a job's stage and error carry no value of anyone's data (errors are the messages of
  :mod:`testimonio.errors`, or a generic one).
"""

from __future__ import annotations

import io
import logging
import os
import socket
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from testimonio.errors import InputError, TestimonioError
from testimonio.reporting import PacketSettings
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.background import LiveJobs, is_abandoned, start_after_commit
from testimonio.web.cases.models import Project
from testimonio.web.evidence.store import document_store
from testimonio.web.keys.ring import current_index_key, data_key_for, destroy_data_keys
from testimonio.web.publishing.actions import require_capability
from testimonio.web.publishing.estimates import packet_estimate
from testimonio.web.publishing.generate import generate_evidence, generate_public
from testimonio.web.publishing.models import JobStatus, ReportJob, ReportKind

__all__ = [
    "KEEP_OUTPUT_FOR",
    "do_mark_abandoned_report_jobs",
    "do_purge_report_outputs",
    "do_start_report_job",
    "read_report_output",
    "run_report_job",
    "start_report_job",
]

logger = logging.getLogger(__name__)

#: How long a finished job's files stay on the server for download.
KEEP_OUTPUT_FOR = timedelta(hours=24)
#: A running job silent for this long is taken for dead.
STALE_AFTER = timedelta(minutes=30)
INTERNAL_ERROR = "the generation stopped on an internal error; nothing was recorded"
ABANDONED = "the worker stopped before it finished (server restarted or killed); nothing was made"

_LIVE_JOBS = LiveJobs()


def do_start_report_job(
    project: Project, actor: Actor, kind: ReportKind, options: dict[str, object] | None = None
) -> tuple[ReportJob, bool]:
    """The running job of this kind, or a new one; ``True`` when new (the caller starts it).

    Refused (and audited) for a role that may not publish."""
    require_capability(actor, project, "publish", f"{kind}_job")
    do_mark_abandoned_report_jobs(project, actor)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).exists()
        running = ReportJob.objects.filter(project=project, kind=kind, status=JobStatus.RUNNING)
        if (job := running.first()) is not None:
            return job, False
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(
                    project=project, kind=kind, options=dict(options or {}),
                    requested_by=actor if isinstance(actor, User) else None,
                    pid=os.getpid(), host=socket.gethostname(),
                )  # fmt: skip
        except IntegrityError:  # another process started one between our read and write
            return running.get(), False
        record_event(actor, "publishing.job.start", job, project_id=project.pk,
                     details={"kind": str(kind)})  # fmt: skip
        _LIVE_JOBS.add(job.pk)
    return job, True


def start_report_job(job: ReportJob) -> None:
    """Run ``job`` in a worker thread of this process once the current transaction commits."""
    start_after_commit(run_report_job, job.pk, "report-job")


def run_report_job(job_id: int) -> ReportJob:
    """Generate the job's packet or report and seal its ZIP; return the ended job."""
    try:
        job = ReportJob.objects.select_related("project", "requested_by").get(pk=job_id)
        return _run(job)
    finally:
        _LIVE_JOBS.discard(job_id)


def _run(job: ReportJob) -> ReportJob:
    actor, project = job.requested_by, job.project
    try:
        with tempfile.TemporaryDirectory(prefix="testimonio-report-job-") as folder:
            out = Path(folder)
            _progress(job, "writing a snapshot and building", 10)
            if job.kind == ReportKind.EVIDENCE:
                name, files, note, run_id = _evidence(job, out)
            else:
                outcome = generate_public(project, out, actor)
                kind = "release" if outcome.approval else "draft"
                name = f"{project.slug}-public-{kind}-{outcome.result.release_id}.zip"
                files, note, run_id = dict(outcome.result.paths), "", outcome.run.pk
            _progress(job, "sealing the files for download", 90)
            content = _zip(out, files)
    except TestimonioError as failure:
        return _end(job, actor, error=str(failure))
    except Exception as error:  # a bug: the job must still end, and say nothing of the data
        logger.error("report job %s failed: %s", job.pk, type(error).__name__)
        return _end(job, actor, error=INTERNAL_ERROR)
    storage = document_store().storage_name(f"report-job|{job.uuid}", current_index_key())
    document_store().put(content, storage, data_key_for(job.uuid, create=True), str(job.uuid))
    output = {"name": name, "storage": storage, "size": len(content), "note": note}
    return _end(job, actor, run_id=run_id, output=output)


def _evidence(job: ReportJob, out: Path) -> tuple[str, dict[str, Path], str, int]:
    project, options = job.project, job.options
    estimate = packet_estimate(project) if options.get("estimate", True) else None
    settings = PacketSettings(
        title=project.name,
        bates_prefix=str(options.get("bates_prefix", "TESTIMONIO")),
        bates_start=int(str(options.get("bates_start", 1))),
        estimate=estimate.estimate if estimate else None,
    )
    outcome = generate_evidence(project, out, job.requested_by, settings)
    files = dict(outcome.result.paths)
    if outcome.signed_pdf is not None:
        files["signed_pdf"] = outcome.signed_pdf
    name = f"{project.slug}-evidence-packet-{outcome.result.sha256[:12]}.zip"
    note = (
        f"Population estimate: {estimate.note}."
        if estimate
        else "Population estimate: not asked for."
    )
    return name, files, note, outcome.run.pk


def _zip(folder: Path, paths: dict[str, Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted({*paths.values()}):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _progress(job: ReportJob, stage: str, percent: int) -> None:
    ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        stage=stage[:60], progress=max(0, min(percent, 100)), updated_at=timezone.now()
    )


def _end(
    job: ReportJob, actor: Actor, *, error: str = "", run_id: int | None = None,
    output: dict[str, Any] | None = None,
) -> ReportJob:  # fmt: skip
    """Mark ``job`` finished (with its run and sealed output) or failed (with ``error``),
    audited."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        job.status = JobStatus.FAILED if error else JobStatus.FINISHED
        job.error = error[:300]
        job.finished_at = timezone.now()
        if not error and output is not None:
            job.stage, job.progress = "finished", 100
            job.note = str(output["note"])[:200]
            job.output_name, job.output_storage = output["name"], output["storage"]
            job.output_bytes, job.run_id = output["size"], run_id
        job.save()
        details = {"kind": job.kind, "run": job.run_id, "error": bool(error)}
        record_event(actor, f"publishing.job.{job.status}", job, project_id=job.project_id,
                     details=details)  # fmt: skip
    return job


def do_mark_abandoned_report_jobs(project: Project, actor: Actor) -> int:
    """Mark failed the project's running jobs whose worker is gone; return how many."""
    running = ReportJob.objects.filter(project=project, status=JobStatus.RUNNING)
    abandoned = [job for job in running if is_abandoned(job, _LIVE_JOBS, STALE_AFTER)]
    for job in abandoned:
        _end(job, actor, error=ABANDONED)
    return len(abandoned)


def read_report_output(job: ReportJob, actor: Actor) -> bytes:
    """The job's ZIP, decrypted in memory; refused unless ``actor`` may publish; audited."""
    require_capability(actor, job.project, "publish", "download_report")
    if not job.downloadable:
        raise InputError("this job has no files to download (not finished, failed or purged)")
    data = document_store().get(job.output_storage, data_key_for(job.uuid, create=False),
                                str(job.uuid))  # fmt: skip
    with transaction.atomic():
        record_event(actor, "publishing.job.download", job, project_id=job.project_id,
                     details={"kind": job.kind, "run": job.run_id, "bytes": len(data)})  # fmt: skip
    return data


def do_purge_report_outputs(actor: Actor, *, older_than: timedelta = KEEP_OUTPUT_FOR) -> int:
    """Destroy the keys and delete the files of outputs finished before ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    expired = list(ReportJob.objects.filter(
        status=JobStatus.FINISHED, output_purged_at__isnull=True, finished_at__lt=cutoff,
    ).exclude(output_storage=""))  # fmt: skip
    if not expired:
        return 0
    store = document_store()
    with transaction.atomic():
        destroy_data_keys([job.uuid for job in expired])
        ReportJob.objects.filter(pk__in=[job.pk for job in expired]).update(
            output_purged_at=timezone.now()
        )
        for job in expired:
            record_event(actor, "publishing.job.purge", job, project_id=job.project_id,
                         details={"kind": job.kind})  # fmt: skip
    for job in expired:  # after the keys are gone: a file left by a crash here is unreadable
        store.path(job.output_storage).unlink(missing_ok=True)
    return len(expired)
