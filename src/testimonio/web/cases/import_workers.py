"""Write an import's new records chunk by chunk, building chunks in worker processes where it
pays.

Why: an import's time goes to three things of similar size, validating rows, making each
record's rows in Python (sealing identities, UUIDs, audit details) and SQLite inserting them,
and one process does them one after the other. On SQLite with more than one CPU, a worker
process is forked for each chunk of 5,000 new records as soon as the chunk is validated: it
builds the chunk and stages it in a private in-memory database (:mod:`testimonio.web.staging`)
while this process validates the next chunk and copies finished ones into the real tables with
one ``INSERT ... SELECT`` per table. Measured in ``benchmarks/import_speed.py``.

How it stays safe:

* Everything that needs the database (lookups, reserved ids, pseudonym numbers, the audit
  chain's locked head) is decided in this process (:class:`NewRecords`); the workers are
  forked, so they inherit the chunk's validated rows and the keys without copying them, and a
  guard makes any database use in a worker fail instead of touching this process's connection.
* Only this process writes the database, inside the caller's transaction: a failure anywhere
  (a worker's error, a dead worker, Ctrl-C) rolls the whole import back, and the workers are
  killed. If this process is killed, the transaction was never committed, and the workers die
  on their broken pipe.
* Audit events are chained in order: a worker chains its chunk's events only when this process
  tells it where the chain stands after the chunk before.
* Nothing leaves memory: the staged databases are in memory on both sides and carry sealed
  values only, as the real tables do.

PostgreSQL, one CPU and ``TESTIMONIO_IMPORT_WORKERS=0`` build and write each chunk in this
process, with the same rows. The web app does not fork (its server may run threads).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from django.db import connection, connections

from testimonio.config import load_config
from testimonio.errors import ValidationError
from testimonio.ingest.validation import ValidatedRow
from testimonio.web.audit.log import EventChain
from testimonio.web.cases.bulk_records import ChunkIds, NewRecords
from testimonio.web.staging import StagedTables, attach_staging, copy_staged

__all__ = ["ChunkWriter", "default_workers", "import_workers"]

KeyedRows = Sequence[tuple[str, ValidatedRow]]


def default_workers() -> int:
    """Worker processes to use when the configuration leaves it open: one per CPU this
    process may run on (at most four), none with a single CPU."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 0 if (cpus or 1) < 2 else min(cpus or 1, 4)


def import_workers() -> int:
    """The configured number of workers (``TESTIMONIO_IMPORT_WORKERS``), else the default."""
    configured = load_config().import_workers
    return default_workers() if configured is None else configured


class ChunkWriter:
    """Writes an import's chunks of new records in the order they are added, building each in
    a worker process forked for it (at most ``workers`` at a time) or, without workers, here.

    The caller holds the transaction, adds chunks as it validates them, and calls
    :meth:`finish`, or :meth:`abort` if anything failed (it kills the workers).
    """

    def __init__(
        self,
        new_records: NewRecords,
        *,
        workers: int,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.new_records, self.progress = new_records, progress
        self.workers = workers if _FORK is not None and connection.vendor == "sqlite" else 0
        self._pending: deque[_Pending] = deque()
        self._done: list[_Pending] = []
        self._statements = new_records.statements.in_order()
        if self.workers:
            attach_staging()

    def add(self, rows: KeyedRows) -> None:
        """Reserve ids for ``rows`` (key, row), then build and write them, or start to."""
        if not rows:
            return
        ids = self.new_records.reserve([row for _, row in rows])
        if not self.workers:
            self._write_here(rows, ids)
            return
        # Copy what is ready (and wait when every worker is busy) before forking another.
        while self._pending and (
            len(self._pending) >= self.workers or self._pending[0].pipe.poll()
        ):
            self._collect()
        self._pending.append(_Pending.start(self.new_records, rows, ids))
        if len(self._pending) == 1:
            self._pending[0].continue_chain(self.new_records.chain)

    def finish(self) -> None:
        """Write every chunk still being built."""
        while self._pending:
            self._collect()
        self._reap()

    def abort(self) -> None:
        """Stop every worker (the caller rolls the transaction back)."""
        while self._pending:
            self._pending.popleft().stop()
        self._reap()

    def _reap(self) -> None:
        """Wait for the workers that sent their chunk to exit (they do so at once)."""
        while self._done:
            self._done.pop().stop()

    def _write_here(self, rows: KeyedRows, ids: ChunkIds) -> None:
        built = self.new_records.build(rows, ids)
        for statement, prepared in zip(self._statements, built.tables, strict=True):
            statement.insert_prepared(prepared)
        chain = self.new_records.chain
        chain.inserter.insert_prepared(chain.inserter.prepare(chain.rows(built.events, ids.events)))
        self._advance(len(rows))

    def _collect(self) -> None:
        """Copy the oldest chunk when its worker sends it; let the next one chain after it."""
        pending = self._pending.popleft()
        chain = self.new_records.chain
        try:
            sequence, last_hash = _receive(pending.pipe)
            data = _receive_bytes(pending.pipe)
        except BaseException:
            pending.stop()
            raise
        self._done.append(pending)  # exiting; waited for at the end, not here
        chain.sequence, chain.previous_hash = sequence, last_hash
        if self._pending:
            self._pending[0].continue_chain(chain)
        copy_staged(data, [*self._statements, chain.inserter])
        self._advance(pending.count)

    def _advance(self, count: int) -> None:
        if self.progress is not None:
            self.progress(count)


_FORK: Any = (
    multiprocessing.get_context("fork")
    if "fork" in multiprocessing.get_all_start_methods()
    else None
)


@dataclass
class _Pending:
    """A chunk being built in its worker process."""

    process: Any
    pipe: Connection
    count: int

    @classmethod
    def start(cls, new_records: NewRecords, rows: KeyedRows, ids: ChunkIds) -> _Pending:
        ours, theirs = _FORK.Pipe()
        # Forked, not spawned: the worker inherits the rows, keys and lookups as they are.
        process = _FORK.Process(target=_work, args=(new_records, rows, ids, theirs), daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours, len(rows))

    def continue_chain(self, chain: EventChain) -> None:
        """Tell the worker where the audit chain stands before its chunk."""
        with contextlib.suppress(OSError):  # a worker that failed says so when collected
            self.pipe.send((chain.sequence, chain.previous_hash))

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.pipe.close()


def _receive(pipe: Connection) -> tuple[int, str]:
    """A worker's first message: its chunk's last sequence and hash, or why it failed."""
    try:
        message = pipe.recv()
    except (EOFError, OSError):  # ConnectionResetError: it died with our message unread
        raise _stopped() from None
    kind, *rest = message
    if kind == "invalid":
        reason, row, column = rest
        raise ValidationError(reason, row=row, column=column)
    if kind == "failed":
        raise RuntimeError(
            f"an import worker failed ({rest[0]}); nothing was imported. Run the import with "
            "TESTIMONIO_IMPORT_WORKERS=0 to see where."
        )
    return rest[0], rest[1]


def _receive_bytes(pipe: Connection) -> bytes:
    try:
        return pipe.recv_bytes()
    except (EOFError, OSError):
        raise _stopped() from None


def _stopped() -> RuntimeError:
    return RuntimeError("an import worker stopped unexpectedly; nothing was imported")


def _work(new_records: NewRecords, rows: KeyedRows, ids: ChunkIds, pipe: Connection) -> None:
    """A worker: build and stage one chunk; chain its events once told where the chain
    stands; send the staged database."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importing process's to handle
    _forbid_database()
    chain = new_records.chain
    try:
        built = new_records.build(rows, ids, shared=False)
        staged = StagedTables()
        for statement, prepared in zip(
            new_records.statements.in_order(), built.tables, strict=True
        ):
            staged.add(statement.given_width, prepared)
        encoded = chain.encode(built.events)
        chain.sequence, chain.previous_hash = pipe.recv()
        events = chain.rows(built.events, ids.events, encoded)
        staged.add(chain.inserter.given_width, chain.inserter.prepare_given(events))
        data = staged.serialize()
        pipe.send(("chunk", chain.sequence, chain.previous_hash))
        pipe.send_bytes(data)
    except (EOFError, BrokenPipeError):
        return  # the importing process has stopped; so do we
    except ValidationError as error:
        _tell(pipe, ("invalid", error.reason, error.row, error.column))
    except Exception as error:  # noqa: BLE001 - reported by type only: messages may hold values
        _tell(pipe, ("failed", type(error).__name__))


def _tell(pipe: Connection, message: tuple[Any, ...]) -> None:
    with contextlib.suppress(OSError):  # BrokenPipeError included: the importer has gone
        pipe.send(message)


class _NoDatabase:
    """Stands in for the database connection in a worker: any use is a bug, and must not
    touch the connection the importing process holds its transaction on."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("an import worker must not use the database")


_inherited: list[Any] = []


def _forbid_database() -> None:
    """Make every database connection of this worker unusable, opened or not."""
    for wrapper in connections.all():
        if wrapper.connection is not None:
            # Keep the inherited connection referenced: closing it here would act on the file
            # the importing process is writing.
            _inherited.append(wrapper.connection)
        wrapper.connection = _NoDatabase()
