"""Work that outlives its web request: a worker thread per job, and telling dead jobs apart.

Linkage runs and report generation take seconds to minutes, too long for one request, and
need no queue server: the page creates a job row (each app has its own model, with ``pid``,
``host`` and ``updated_at``), starts a thread in this process once the row is committed, and
polls the row. What the apps share lives here:

- :class:`LiveJobs`, the jobs this process has promised to run (a job row naming this
  process whose number is not in it was left behind by a worker that died);
- :func:`is_abandoned`, whether a running job's worker is gone: silent for too long, or its
  process is not alive on this host;
- :func:`start_after_commit`, a daemon thread started when the current transaction commits
  (so the worker reads the committed row), which closes its own database connections.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from django.db import connections, transaction
from django.utils import timezone

__all__ = ["LiveJobs", "is_abandoned", "process_alive", "start_after_commit"]


class JobRow(Protocol):
    """What :func:`is_abandoned` reads of a job's row."""

    pk: int
    pid: int | None
    host: str
    updated_at: datetime


class LiveJobs:
    """The job numbers whose worker threads are, or are about to be, alive in this process."""

    def __init__(self) -> None:
        self._jobs: set[int] = set()
        self._lock = threading.Lock()

    def add(self, job_id: int) -> None:
        with self._lock:
            self._jobs.add(job_id)

    def discard(self, job_id: int) -> None:
        with self._lock:
            self._jobs.discard(job_id)

    def __contains__(self, job_id: object) -> bool:
        with self._lock:
            return job_id in self._jobs


def is_abandoned(job: JobRow, live: LiveJobs, stale_after: timedelta) -> bool:
    """True when ``job`` (a running one) will never end by itself.

    A job silent for ``stale_after`` is taken for dead wherever it runs (its process may be
    on another machine, where we cannot ask whether it is alive); on this host, a job whose
    process is gone, or whose number this process never promised to run, is dead now.
    """
    if job.updated_at < timezone.now() - stale_after:
        return True
    if job.host != socket.gethostname() or job.pid is None:
        return False
    if job.pid == os.getpid():
        return job.pk not in live
    return not process_alive(job.pid)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def start_after_commit(work: Callable[[int], object], job_id: int, name: str) -> None:
    """Run ``work(job_id)`` in a daemon thread of this process once the transaction commits."""

    def run() -> None:
        try:
            work(job_id)
        finally:
            connections.close_all()  # this thread's own connections

    worker = threading.Thread(target=run, name=f"{name}-{job_id}", daemon=True)
    transaction.on_commit(worker.start)
