"""Write an import's new records chunk by chunk, in worker processes where it pays.

Why: an import's time goes to three things of similar size, validating rows, making each
record's rows in Python (sealing identities, UUIDs, audit details) and SQLite inserting them,
and one process does them one after the other. On SQLite with more than one CPU,
:class:`ForkedImport` forks worker processes once the file is read: each validates its share of
the table's chunks of 5,000 rows, builds the new records of each and stages them in a private
in-memory database (:mod:`testimonio.web.db.staging`), while this process decides which rows are
new, reserves their ids, and copies finished chunks into the real tables with one
``INSERT ... SELECT`` per table. Measured in ``benchmarks/import_speed.py``.

How it stays safe:

* Everything that needs the database (what the source already holds, reserved ids, pseudonym
  numbers, the audit chain's locked head) is decided in this process (:class:`NewRecords`,
  ``ImportRun``); the workers are forked, so they inherit the table, lookups and keys without
  copying them, and a guard makes any database use in a worker fail instead of touching this
  process's connection.
* Only this process writes the database, inside the caller's transaction: a failure anywhere
  (a worker's error, a dead worker, Ctrl-C) rolls the whole import back, and the workers are
  killed. If this process is killed, the transaction was never committed, and the workers die
  with it: on Linux the kernel kills them (parent-death signal); anywhere, the pipes end for
  them at their next message, since only this process holds its ends (each worker closes the
  copies it inherited).
* Audit events are chained in file order: a worker chains a chunk's events only when this
  process tells it where the chain stands after the chunk before.
* Nothing leaves memory: the staged databases are in memory on both sides and carry sealed
  values only, as the real tables do.

:class:`ChunkWriter` builds and writes chunks in this process instead: PostgreSQL, one CPU,
``TESTIMONIO_IMPORT_WORKERS=0``, and the web app, which does not fork (its server may run
threads). The rows are the same either way (a test compares them).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from django.db import connection, connections

from testimonio.config import load_config
from testimonio.errors import ValidationError
from testimonio.ingest import ChunkValidator, ValidatedRow
from testimonio.web.db.staging import StagedTables, attach_staging, copy_staged
from testimonio.web.imports.new_records import ImportRun, NewRecords
from testimonio.web.imports.row_values import keyed_record_key

__all__ = ["ChunkWriter", "ForkedImport", "can_fork", "default_workers", "import_workers"]

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
    """Builds and writes an import's chunks of new records in this process, in order."""

    def __init__(
        self, new_records: NewRecords, *, progress: Callable[[int], None] | None = None
    ) -> None:
        self.new_records, self.progress = new_records, progress
        self._statements = new_records.statements.in_order()

    def add(self, rows: KeyedRows) -> None:
        """Reserve ids for ``rows`` (key, row), build them and write them."""
        if not rows:
            return
        ids = self.new_records.reserve([row for _, row in rows])
        built = self.new_records.build(rows, ids)
        for statement, prepared in zip(self._statements, built.tables, strict=True):
            statement.insert_prepared(prepared)
        chain = self.new_records.chain
        chain.inserter.insert_prepared(chain.inserter.prepare(chain.rows(built.events, ids.events)))
        if self.progress is not None:
            self.progress(len(rows))


def can_fork() -> bool:
    """Whether this import may use worker processes (SQLite, and an OS that forks)."""
    return _FORK is not None and connection.vendor == "sqlite"


_FORK: Any = (
    multiprocessing.get_context("fork")
    if "fork" in multiprocessing.get_all_start_methods()
    else None
)


class ForkedImport:
    """Validates, builds and stages a table's chunks in ``workers`` forked worker processes
    (worker w takes chunks w, w + workers, ...), and writes the finished chunks here, in order.

    For each chunk, its worker validates the rows and sends each valid row's key, hash and
    number of encounters, and the errors; this process decides which rows are new and which
    change a record (it alone knows every earlier row), reserves ids and pseudonyms for the new
    ones and sends them; the worker sends back the changed rows (updated here at the end),
    builds and stages the new ones, chains their audit events when told where the chain stands,
    and sends the staged database, which this process copies into the real tables.
    """

    def __init__(
        self,
        run: ImportRun,
        validator: ChunkValidator,
        chunk_rows: int,
        workers: int,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.run_state, self.validator, self.progress = run, validator, progress
        self.new_records = run.new_records
        self.spans = [(start, start + chunk_rows) for start in validator.starts(chunk_rows)]
        self.workers = max(1, min(workers, len(self.spans)))
        self._chunks: list[_Chunk] = []
        self._chained: _Chunk | None = None  # told where the chain stands, not yet copied
        self._statements = self.new_records.statements.in_order()
        #: This process's ends of the workers' pipes (each worker closes its copies).
        self.importer_ends: list[Connection] = []

    def run(self) -> None:
        attach_staging()
        workers = [_Worker.fork(self, number) for number in range(self.workers)]
        try:
            for number in range(len(self.spans)):
                # Decide the chunks the other workers are validating before waiting for this
                # one's rows, so that they build while this process copies.
                while len(self._chunks) < min(number + self.workers, len(self.spans)):
                    self._decide(_Chunk(workers[len(self._chunks) % self.workers].pipe))
                self._collect(self._chunks[number])
        finally:
            for worker in workers:
                worker.stop()

    def _decide(self, chunk: _Chunk) -> None:
        """Take the chunk's validation; tell it what to build (or nothing, once refused)."""
        self._chunks.append(chunk)
        keyed, errors = _expect(chunk.pipe, "validated")
        run = self.run_state
        run.errors += errors
        if run.refused:
            _send(chunk.pipe, ("skip",))
            return
        new, changed = run.sort([(key, digest) for key, digest, _ in keyed], None)
        encounters = sum(keyed[position][2] for position in new)
        ids = self.new_records.reserve_counts(len(new), encounters)
        _send(chunk.pipe, ("build", new, changed, ids))
        if changed:
            (rows,) = _expect(chunk.pipe, "changed")
            run.changed += [(keyed[n][0], row) for n, row in zip(changed, rows, strict=True)]
        chunk.building, chunk.count = bool(new), len(new)
        self._chain_next()

    def _collect(self, chunk: _Chunk) -> None:
        """Copy the chunk's staged rows (if it built any) once its worker sends them."""
        if not chunk.building:
            return
        sequence, last_hash = _expect(chunk.pipe, "chunk")
        data = _receive_bytes(chunk.pipe)
        chain = self.new_records.chain
        chain.sequence, chain.previous_hash = sequence, last_hash
        self._chained = None
        self._chain_next()
        copy_staged(data, [*self._statements, chain.inserter])
        if self.progress is not None:
            self.progress(chunk.count)

    def _chain_next(self) -> None:
        """Tell the next chunk that builds where the audit chain stands, once every chunk
        before it has been copied (chunks are decided in order, so none before it will)."""
        if self._chained is not None:
            return
        for chunk in self._chunks:
            if chunk.building and not chunk.chained:
                chain = self.new_records.chain
                _send(chunk.pipe, (chain.sequence, chain.previous_hash))
                chunk.chained, self._chained = True, chunk
                return


@dataclass
class _Chunk:
    """A chunk of the table, as this process follows it through its worker."""

    pipe: Connection
    building: bool = False
    chained: bool = False
    count: int = 0


@dataclass
class _Worker:
    process: Any
    pipe: Connection

    @classmethod
    def fork(cls, job: ForkedImport, number: int) -> _Worker:
        ours, theirs = _FORK.Pipe()
        # The worker closes its copies of this process's ends (its own and earlier workers'):
        # if this process dies, nothing else holds them open and every worker sees the end.
        job.importer_ends.append(ours)
        # Forked, not spawned: the worker inherits the table, keys and lookups as they are.
        process = _FORK.Process(target=_serve, args=(job, number, theirs, os.getpid()), daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.pipe.close()


def _send(pipe: Connection, message: tuple[Any, ...]) -> None:
    """Send, either way, ignoring a closed pipe: a worker that failed says so when next heard
    from, and an importer that has gone needs no news."""
    with contextlib.suppress(OSError):  # BrokenPipeError included
        pipe.send(message)


def _expect(pipe: Connection, kind: str) -> tuple[Any, ...]:
    """A worker's next message, of ``kind``; its failure raised here if it failed instead."""
    try:
        message = pipe.recv()
    except (EOFError, OSError):  # ConnectionResetError: it died with our message unread
        raise _stopped() from None
    if message[0] == "invalid":
        _, reason, row, column = message
        raise ValidationError(reason, row=row, column=column)
    if message[0] == "failed":
        raise RuntimeError(
            f"an import worker failed ({message[1]}); nothing was imported. Run the import "
            "with TESTIMONIO_IMPORT_WORKERS=0 to see where."
        )
    if message[0] != kind:  # pragma: no cover - a bug in the protocol
        raise RuntimeError(f"an import worker sent {message[0]!r}, not {kind!r}")
    return tuple(message[1:])


def _receive_bytes(pipe: Connection) -> bytes:
    try:
        return pipe.recv_bytes()
    except (EOFError, OSError):
        raise _stopped() from None


def _stopped() -> RuntimeError:
    return RuntimeError("an import worker stopped unexpectedly; nothing was imported")


def _serve(job: ForkedImport, number: int, pipe: Connection, importer: int) -> None:
    """A worker: for each of its chunks, validate the rows; send what the importer needs to
    decide; send back the rows that change a record; build, stage and chain the new ones."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importing process's to handle
    _die_with(importer)
    for end in job.importer_ends:  # only the importer may hold them: see _Worker.fork
        end.close()
    _forbid_database()
    try:
        for start, stop in job.spans[number :: job.workers]:
            _chunk(job, start, stop, pipe)
    except (EOFError, BrokenPipeError):
        return  # the importing process has stopped; so do we
    except ValidationError as error:
        _send(pipe, ("invalid", error.reason, error.row, error.column))
    except Exception as error:  # noqa: BLE001 - reported by type only: messages may hold values
        _send(pipe, ("failed", type(error).__name__))


def _chunk(job: ForkedImport, start: int, stop: int, pipe: Connection) -> None:
    new_records = job.new_records
    chain = new_records.chain
    rows, errors = job.validator.validate(start, stop)
    hasher, source_id = new_records.hasher, new_records.source.pk
    keys = [keyed_record_key(hasher, source_id, row) for row in rows]
    keyed = [
        (key, hasher.row_hash(row.provenance.digest), row.encounter_count())
        for key, row in zip(keys, rows, strict=True)
    ]
    pipe.send(("validated", keyed, errors))
    decision = pipe.recv()
    if decision[0] != "build":
        return
    _, new, changed, ids = decision
    if changed:
        pipe.send(("changed", [rows[position] for position in changed]))
    if not new:
        return
    built = new_records.build([(keys[n], rows[n]) for n in new], ids, shared=False)
    staged = StagedTables()
    for statement, prepared in zip(new_records.statements.in_order(), built.tables, strict=True):
        staged.add(statement.given_width, prepared)
    encoded = chain.encode(built.events)
    chain.sequence, chain.previous_hash = pipe.recv()
    events = chain.rows(built.events, ids.events, encoded)
    staged.add(chain.inserter.given_width, chain.inserter.prepare_given(events))
    data = staged.serialize()
    pipe.send(("chunk", chain.sequence, chain.previous_hash))
    pipe.send_bytes(data)


def _die_with(importer: int) -> None:
    """On Linux, have the kernel kill this worker when the importing process dies, however it
    dies (a worker left behind would keep the file's rows in memory); elsewhere the closed
    pipe ends the worker at its next message."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != importer:  # it died before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


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
