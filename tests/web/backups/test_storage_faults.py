"""Storage faults mid-import (issue 19): a full disk, a read-only database, a lost connection.

Each must give the user one clear line (exit code 2 on the command line, a 503 page that says
nothing was saved on the web), corrupt nothing (integrity check, audit chain) and leave nothing
half-written (the row counts of before; the same import then succeeds).

The full disk is real where this process may mount a size-limited tmpfs (root, as in CI's
container); elsewhere the import's file size limit (RLIMIT_FSIZE) makes the disk "full". The
read-only database is a read-only remount of that tmpfs, or file modes when not root. The lost
PostgreSQL connection is real: another connection terminates the import's backend
(``pg_terminate_backend``) while it writes; on SQLite, which has no connection to lose, the
failure is injected between two chunks.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.utils import DatabaseErrorWrapper

from testimonio.web.audit.log import verify_chain
from testimonio.web.cases.models import Project, Record
from testimonio.web.db import faults
from testimonio.web.imports import workers
from testimonio.web.imports.models import ImportDraft
from tests.cli.crash import HEADER, PROJECT, clean_environment, fictitious_rows
from tests.web.backups.conftest import DATABASE_URL, requires_postgres
from tests.web.clients import signed_in
from tests.web.imports.conftest import intake_log, world  # noqa: F401 - fixtures
from tests.web.imports.uploads import ROWS_IN_LOG, draft_url, uploaded_draft

ROWS = 4_000
sqlite_only = pytest.mark.skipif(
    DATABASE_URL.startswith("postgres"), reason="the command-line instance is SQLite"
)
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tmpfs, /proc")


def run_command(
    home: Path, *args: str, preexec: Callable[[], None] | None = None, **variables: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "testimonio", *args],
        env={**clean_environment(home), **variables},
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=preexec,
    )


def one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """The single ``Error:`` line of a failed command (exit 2, no traceback)."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert "nothing was written" in errors[0], errors[0]
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def sqlite_state(home: Path) -> tuple[str, int]:
    """The database's integrity check and its record count."""
    database = sqlite3.connect(home / "db" / "testimonio.sqlite3")
    try:
        verdict = database.execute("PRAGMA integrity_check").fetchone()[0]
        return verdict, database.execute("SELECT COUNT(*) FROM cases_record").fetchone()[0]
    finally:
        database.close()


def can_mount() -> bool:
    return sys.platform.startswith("linux") and os.geteuid() == 0


@contextmanager
def small_disk(folder: Path, megabytes: int) -> Iterator[Path]:
    """A tmpfs of ``megabytes`` mounted on ``folder`` (root only)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0700", "tmpfs", str(folder)],
        check=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path, leave_kb: int) -> Path:
    """Fill ``disk`` but ``leave_kb`` KiB with a file; return it (delete it to free space)."""
    free_kb = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize // 1024
    filler = disk / "filler"
    with filler.open("wb") as out:
        out.truncate(0)
        block = b"\0" * 1024 * 1024
        remaining = (free_kb - leave_kb) * 1024
        while remaining > 0:
            remaining -= out.write(block[: min(len(block), remaining)])
    return filler


@pytest.fixture(scope="module")
def lista(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4,000 new rows: megabytes of sealed records, WAL and audit events."""
    path = tmp_path_factory.mktemp("lista") / "lista.csv"
    path.write_text(HEADER + fictitious_rows(ROWS, "N", seed=2), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo instance, made once: each test works on its own copy (see :func:`copy_of`)."""
    home = tmp_path_factory.mktemp("demo") / "home"
    made = run_command(home, "demo", "--skip-world")
    assert made.returncode == 0, made.stderr
    return home


def copy_of(demo_home: Path, home: Path) -> Path:
    shutil.copytree(demo_home, home, symlinks=True)
    return home


def import_args(path: Path) -> tuple[str, ...]:
    return ("import", str(path), "--project", PROJECT, "--source", "Lista")


@pytest.mark.slow
@sqlite_only
@linux_only
def test_a_full_disk_mid_import_says_so_in_one_line_and_writes_nothing(
    tmp_path: Path, lista: Path, demo_home: Path
) -> None:
    if not can_mount():
        pytest.skip("mounting a tmpfs needs root: see the RLIMIT_FSIZE test")
    with small_disk(tmp_path / "disk", 48) as disk:
        home = copy_of(demo_home, disk / "home")
        _, before = sqlite_state(home)
        filler = fill(disk, leave_kb=512)
        one_clear_line(run_command(home, *import_args(lista)), "disk", "full")
        filler.unlink()
        assert sqlite_state(home) == ("ok", before)
        assert run_command(home, "audit", "verify").returncode == 0
        again = run_command(home, *import_args(lista))
        assert again.returncode == 0, again.stderr
        assert sqlite_state(home) == ("ok", before + ROWS)


@pytest.mark.slow
@sqlite_only
@linux_only
def test_a_file_size_limit_mid_import_says_so_in_one_line_and_writes_nothing(
    tmp_path: Path, lista: Path, demo_home: Path
) -> None:
    """The same without root: the process may not grow any file past a limit (EFBIG)."""
    home = copy_of(demo_home, tmp_path / "home")
    _, before = sqlite_state(home)
    limit = (home / "db" / "testimonio.sqlite3").stat().st_size + 256 * 1024

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG from write(), not a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    one_clear_line(run_command(home, *import_args(lista), preexec=limited))
    assert sqlite_state(home) == ("ok", before)
    assert run_command(home, "audit", "verify").returncode == 0
    assert run_command(home, *import_args(lista)).returncode == 0


@pytest.mark.slow
@sqlite_only
@linux_only
def test_a_read_only_database_says_so_in_one_line_and_writes_nothing(
    tmp_path: Path, lista: Path, demo_home: Path
) -> None:
    def check(home: Path, before: int) -> None:
        one_clear_line(run_command(home, *import_args(lista)), "writable")

    if can_mount():  # root ignores file modes: make the whole disk read-only instead
        with small_disk(tmp_path / "disk", 48) as disk:
            home = copy_of(demo_home, disk / "home")
            _, before = sqlite_state(home)
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
            check(home, before)
            subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
            assert sqlite_state(home) == ("ok", before)
            assert run_command(home, "audit", "verify").returncode == 0
        return
    home = copy_of(demo_home, tmp_path / "home")
    _, before = sqlite_state(home)
    database = home / "db" / "testimonio.sqlite3"
    database.chmod(0o400)
    database.parent.chmod(0o500)
    try:
        check(home, before)
    finally:
        database.parent.chmod(0o700)
        database.chmod(0o600)
    assert sqlite_state(home) == ("ok", before)


@requires_postgres
def test_a_postgresql_connection_lost_mid_import_says_so_and_writes_nothing(
    scratch_databases: Callable[..., str], tmp_path: Path
) -> None:
    import psycopg

    url = scratch_databases()
    home = tmp_path / "home"
    assert run_command(home, "demo", "--skip-world", DATABASE_URL=url).returncode == 0
    path = tmp_path / "lista.csv"
    path.write_text(HEADER + fictitious_rows(20_000, "N", seed=3), encoding="utf-8")
    name = url.rsplit("/", 1)[1]
    watcher = psycopg.connect(url, autocommit=True)

    def count() -> int:
        return int(watcher.execute("SELECT COUNT(*) FROM cases_record").fetchone()[0])  # type: ignore[index]

    before, terminated = count(), []

    def terminate_when_writing() -> None:
        # The import's backend, once it is writing records (inside its one transaction):
        # COPY on PostgreSQL (see web/db/bulk_insert.py).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not terminated:
            rows = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
                " AND xact_start IS NOT NULL AND query ILIKE '%%cases_record%%'"
                " AND (query ILIKE 'INSERT%%' OR query ILIKE 'COPY%%')",
                (name,),
            ).fetchall()
            for (pid,) in rows:
                watcher.execute("SELECT pg_terminate_backend(%s)", (pid,))
                terminated.append(pid)
            time.sleep(0.05)

    killer = threading.Thread(target=terminate_when_writing)
    killer.start()
    result = run_command(home, *import_args(path), DATABASE_URL=url)
    killer.join()
    try:
        assert terminated, "the import finished before its backend could be terminated"
        one_clear_line(result, "connection to the database was lost")
        assert count() == before
        assert run_command(home, "audit", "verify", DATABASE_URL=url).returncode == 0
    finally:
        watcher.close()


def fail_second_chunk(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the second chunk's write fail as a lost connection (PostgreSQL) or a failing disk
    (SQLite) does, raised through Django's wrapper as the database's own error would be."""
    calls: list[int] = []
    original = workers.ChunkWriter.add

    def add(self: workers.ChunkWriter, rows: workers.KeyedRows) -> None:
        calls.append(len(rows))
        if len(calls) == 2:
            with DatabaseErrorWrapper(connection):
                if connection.vendor == "postgresql":
                    import psycopg

                    raise psycopg.OperationalError("server closed the connection unexpectedly")
                raise sqlite3.OperationalError("disk I/O error")
        original(self, rows)

    monkeypatch.setattr(workers.ChunkWriter, "add", add)
    return calls


@pytest.mark.django_db
def test_a_write_failing_mid_import_on_the_web_shows_a_message_and_saves_nothing(
    project: Project,
    intake_officer: User,
    intake_log: bytes,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log)
    monkeypatch.setattr("testimonio.web.imports.actions.tables.CHUNK_ROWS", 4)
    calls = fail_second_chunk(monkeypatch)
    response = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert len(calls) == 2, "the import did not reach its second chunk"
    assert response.status_code == 503
    page = response.content.decode()
    assert "Nothing was saved" in page and "nothing was written" in page
    assert "Traceback" not in page
    assert Record.objects.count() == 0 and ImportDraft.objects.filter(pk=draft.pk).exists()
    assert verify_chain() == []
    assert ROWS_IN_LOG > 4  # more than one chunk


def test_storage_faults_are_recognised_and_bugs_are_not() -> None:
    full = OSError(28, "No space left on device")
    assert faults.storage_fault(full) is not None
    wrapped = RuntimeError("while writing")
    wrapped.__cause__ = sqlite3.OperationalError("database or disk is full")
    assert "full" in str(faults.storage_fault(wrapped))
    assert faults.storage_fault(sqlite3.OperationalError("no such table: x")) is None
    assert faults.storage_fault(ValueError("a bug")) is None
    assert faults.storage_fault(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
