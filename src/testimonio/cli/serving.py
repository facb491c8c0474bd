"""``testimonio serve``'s processes: one listening socket, several waitress processes.

Why: a Django page is Python work, and the threads of one process take turns on the GIL, so
one process uses one core however many threads it has (issue 19, "Load": 20 intake users on
8 threads left the second core idle). Here the parent loads the app (its start-up heap frozen,
:mod:`testimonio.web.heap`), binds the port, and forks ``workers`` children that each run
waitress with ``threads`` threads on that same socket; the kernel hands each connection to
one of them. Waitress stays the server (its X-Forwarded-For handling behind the proxy too).

Nothing lives only in one process's memory that another needs: sessions, lockouts, the audit
chain and linkage jobs (recorded with their process id) are in the database. The parent
restarts a child that died (a crash must not halve the server quietly) and, on SIGTERM or
Ctrl+C, stops them all and waits, so no worker is left behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from collections.abc import Callable
from typing import Any

__all__ = ["serve_in_processes"]

#: A child that dies sooner than this after its start is not restarted (a broken start-up
#: would otherwise fork forever); the server stops with an error instead.
MIN_CHILD_LIFE_SECONDS = 5.0


def serve_in_processes(
    application: Callable[..., Any],
    *,
    port: int,
    workers: int,
    threads: int,
    options: dict[str, Any],
) -> None:
    """Serve ``application`` on 127.0.0.1:``port`` from ``workers`` forked processes."""
    import waitress
    from django.db import connections

    listener = socket.create_server(("127.0.0.1", port), backlog=1024)
    # No connection may cross the fork: two processes would talk on one socket.
    connections.close_all()

    def child() -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        code = 1
        try:
            waitress.serve(application, sockets=[listener], threads=threads, _quiet=True,
                           **options)  # fmt: skip
            code = 0
        finally:
            os._exit(code)  # never back into the parent's loop or its exit handlers

    children: dict[int, float] = {}

    def start_one() -> None:
        pid = os.fork()
        if pid == 0:
            child()
        children[pid] = time.monotonic()

    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start_one()
    try:
        while not stopping:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(0.2)
                continue
            started = children.pop(pid, None)
            if started is not None and time.monotonic() - started < MIN_CHILD_LIFE_SECONDS:
                raise RuntimeError("a server process stopped right after it started")
            start_one()
    finally:
        _stop_children(children)
        listener.close()


def _stop_children(children: dict[int, float]) -> None:
    """SIGTERM every child, wait up to 30 s, then SIGKILL the ones still there."""
    for pid in children:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while children and time.monotonic() < deadline:
        for pid in list(children):
            try:
                done, _status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                children.pop(pid)
        time.sleep(0.05)
    for pid in children:
        _signal(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        os.kill(pid, signum)
