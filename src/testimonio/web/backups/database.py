"""Consistent copies of the live database, and their restore into an empty one.

SQLite is copied with its online backup API (never a file copy: a live WAL database is not the
main file alone), PostgreSQL with ``pg_dump -Fc`` inside an exported REPEATABLE READ snapshot,
so the row counts in the manifest describe exactly the rows in the dump while the app keeps
writing. Connection details reach pg_dump through libpq's environment, never its command line
(where ``ps`` would show a password).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, connections, transaction

from testimonio.web.backups.errors import BackupError

SQLITE_MEMBER = "database/testimonio.sqlite3"
POSTGRES_MEMBER = "database/testimonio.pgdump"


@dataclass(frozen=True)
class DatabaseCopy:
    """The staged copy of the database and its tables' row counts."""

    path: Path
    member: str
    tables: dict[str, int]


def copy_database(staging: Path) -> DatabaseCopy:
    """A consistent copy of the live database in ``staging``, with its row counts."""
    if connection.vendor == "sqlite":
        return _copy_sqlite(staging / "testimonio.sqlite3")
    if connection.vendor == "postgresql":
        return _copy_postgres(staging / "testimonio.pgdump")
    raise BackupError(f"Backups of a {connection.vendor} database are not supported.")


def database_is_empty() -> bool:
    """True when the configured database has no tables at all (a fresh, unmigrated instance)."""
    if connection.vendor == "sqlite":
        path = _sqlite_path()
        if not path.exists() or path.stat().st_size == 0:
            return True
    return not connection.introspection.table_names()


def restore_database(staged: Path, vendor: str) -> dict[str, int]:
    """Put the staged copy in place; return its row counts. Raises if it is damaged."""
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup is of a {vendor} database; DATABASE_URL points to {connection.vendor}."
        )
    if vendor == "sqlite":
        return _restore_sqlite(staged)
    return _restore_postgres(staged)


def current_row_counts() -> dict[str, int]:
    """Rows per table in the configured database (Django's own tables included)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - our table names
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _copy_sqlite(target: Path) -> DatabaseCopy:
    source = sqlite3.connect(_sqlite_path(), timeout=30)
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): a read transaction holds a consistent view while writers go on
        # in the WAL; stepping would restart the copy whenever the app writes.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        _check_sqlite(copy)
        tables = _sqlite_counts(copy)
    finally:
        copy.close()
        source.close()
    return DatabaseCopy(target, SQLITE_MEMBER, tables)


def _restore_sqlite(staged: Path) -> dict[str, int]:
    copy = sqlite3.connect(staged)
    try:
        _check_sqlite(copy)
        tables = _sqlite_counts(copy)
    finally:
        copy.close()
    connections.close_all()
    path = _sqlite_path()
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged.chmod(0o600)
    shutil.move(staged, path)
    return tables


def _check_sqlite(database: sqlite3.Connection) -> None:
    result = [row[0] for row in database.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        raise BackupError(
            f"The database copy fails SQLite's integrity check ({len(result)} problems)."
        )


def _sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    names = database.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {
        name: int(database.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # noqa: S608
        for (name,) in sorted(names)
    }


def _sqlite_path() -> Path:
    return Path(str(connection.settings_dict["NAME"]))


def _copy_postgres(target: Path) -> DatabaseCopy:
    _check_client_version("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        tables = current_row_counts()
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
    return DatabaseCopy(target, POSTGRES_MEMBER, tables)


def _restore_postgres(staged: Path) -> dict[str, int]:
    _check_client_version("pg_restore")
    _run(
        [
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(staged),
        ]
    )
    return current_row_counts()


def _check_client_version(program: str) -> None:
    """pg_dump cannot dump a newer server; a mismatch is a clear error, not a broken dump."""
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed: install postgresql-client.")
    version = [program, "--version"]  # a fixed program name, found on PATH
    output = subprocess.run(version, capture_output=True, text=True, check=True)  # noqa: S603
    found = re.search(r"(\d+)(?:\.\d+)?", output.stdout)
    client = int(found.group(1)) if found else 0
    server = int(connection.cursor().connection.info.server_version) // 10000
    if client < server:
        raise BackupError(
            f"{program} is version {client} but the PostgreSQL server is {server}: install "
            f"postgresql-client-{server}."
        )


def _run(command: list[str]) -> None:
    environment = _libpq_environment()
    result = subprocess.run(command, capture_output=True, text=True, env=environment)  # noqa: S603
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{command[0]} failed (exit {result.returncode}): {last}")


def _libpq_environment() -> dict[str, str]:
    settings: dict[str, Any] = connection.settings_dict
    environment = dict(os.environ)
    pairs: Iterable[tuple[str, Any]] = (
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", settings.get("PORT")),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGDATABASE", settings.get("NAME")),
    )
    environment.update({name: str(value) for name, value in pairs if value})
    return environment
