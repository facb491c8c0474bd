"""Linkage in the background: one job per project, with progress, safe against a second click.

"Run linkage" takes seconds to minutes, too long for one web request. The view asks
:func:`do_start_linkage_job` for a job (a :class:`LinkageJob` row) and, only if it made a new
one, starts a worker thread in this process (:func:`start_in_background`) that calls
:func:`run_linkage_job`; the page then polls the job. No queue server is needed.

What must always hold:
- at most one running job per project (a partial unique constraint; a second request gets the
  running job back instead of starting another);
- a job whose process died (server restarted, worker killed) is marked failed the next time
  anyone starts or looks at a job (:func:`do_mark_abandoned_jobs`); its run was never applied,
  because :func:`~testimonio.web.linking.actions.do_run_linkage` applies in one transaction;
- a job's stage, progress and error carry no identity value (errors are the messages of
  :mod:`testimonio.errors`, or a generic one).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from testimonio.errors import TestimonioError
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.background import LiveJobs, is_abandoned, start_after_commit
from testimonio.web.cases.models import Project
from testimonio.web.linking.actions import do_run_linkage
from testimonio.web.linking.models import JobStatus, LinkageJob

logger = logging.getLogger(__name__)

#: A running job that has shown no sign of life for this long is taken for dead (its process
#: may be on another machine, where we cannot ask whether it is alive).
STALE_AFTER = timedelta(minutes=30)
#: What a job that stopped on an unexpected error says (the error itself may quote data).
INTERNAL_ERROR = "linkage stopped on an internal error; nothing was applied (see the server log)"
ABANDONED = (
    "the worker stopped before it finished (server restarted or killed); nothing was applied"
)

#: Jobs this process has promised to run (their threads are, or are about to be, alive).
_LIVE_JOBS = LiveJobs()


def do_start_linkage_job(project: Project, actor: Actor) -> tuple[LinkageJob, bool]:
    """The project's running job, or a new one; ``True`` when it is new (the caller runs it)."""
    do_mark_abandoned_jobs(project, actor)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).exists()
        running = LinkageJob.objects.filter(project=project, status=JobStatus.RUNNING).first()
        if running is not None:
            return running, False
        try:
            with transaction.atomic():
                job = LinkageJob.objects.create(
                    project=project,
                    requested_by=actor if isinstance(actor, User) else None,
                    pid=os.getpid(),
                    host=socket.gethostname(),
                )
        except IntegrityError:  # another process started one between our read and write
            return LinkageJob.objects.get(project=project, status=JobStatus.RUNNING), False
        record_event(actor, "analyses.linkage.job.start", job, project_id=project.pk)
        _LIVE_JOBS.add(job.pk)
    return job, True


def start_in_background(job: LinkageJob) -> None:
    """Run ``job`` in a worker thread of this process once the current transaction commits."""
    start_after_commit(run_linkage_job, job.pk, "linkage-job")


def run_linkage_job(job_id: int) -> LinkageJob:
    """Do the job's linkage run, reporting progress on the job row; return the ended job."""
    try:
        return _run(LinkageJob.objects.select_related("project", "requested_by").get(pk=job_id))
    finally:
        _LIVE_JOBS.discard(job_id)


def _run(job: LinkageJob) -> LinkageJob:
    actor = job.requested_by

    def progress(stage: str, percent: int) -> None:
        _progress(job.pk, stage, percent)

    try:
        run = do_run_linkage(job.project, actor, progress=progress)
    except TestimonioError as failure:
        return do_end_job(job, actor, error=str(failure))
    except Exception as error:  # a bug: the job must still end, and say nothing of the data
        logger.error("linkage job %s failed: %s", job.pk, type(error).__name__)
        return do_end_job(job, actor, error=INTERNAL_ERROR)
    return do_end_job(job, actor, link_run_id=run.pk)


def _progress(job_id: int, stage: str, percent: int) -> None:
    """Write how far the job got (outside any run transaction, so pollers see it at once)."""
    LinkageJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        stage=stage[:60], progress=max(0, min(percent, 100)), updated_at=timezone.now()
    )


def do_end_job(
    job: LinkageJob, actor: Actor, *, error: str = "", link_run_id: int | None = None
) -> LinkageJob:
    """Mark ``job`` finished (with its run) or failed (with ``error``), audited."""
    with transaction.atomic():
        job = LinkageJob.objects.select_for_update().get(pk=job.pk)
        job.status = JobStatus.FAILED if error else JobStatus.FINISHED
        job.error = error[:300]
        job.link_run_id = link_run_id
        job.finished_at = timezone.now()
        if not error:
            job.stage, job.progress = "finished", 100
        job.save()
        record_event(
            actor,
            f"analyses.linkage.job.{job.status}",
            job,
            project_id=job.project_id,
            details={"link_run": link_run_id, "error": bool(error)},
        )
    return job


def do_mark_abandoned_jobs(project: Project, actor: Actor) -> int:
    """Mark failed the project's running jobs whose worker is gone; return how many."""
    abandoned = [
        job
        for job in LinkageJob.objects.filter(project=project, status=JobStatus.RUNNING)
        if is_abandoned(job, _LIVE_JOBS, STALE_AFTER)
    ]
    for job in abandoned:
        do_end_job(job, actor, error=ABANDONED)
    return len(abandoned)
