"""Committed means on disk: SQLite's durable mode, and PostgreSQL refused when it is not."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from testimonio.web.backups.durability import unsafe_settings
from tests.web.backups.conftest import requires_postgres

#: In an atomic block that has run no statement yet, another connection must already be
#: unable to start writing: IMMEDIATE takes the write lock at BEGIN.
SQLITE_PROBE = """
import sqlite3
from testimonio.web.setup import setup_django
setup_django()
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA busy_timeout")
    print(cursor.fetchall()[0][0])
with transaction.atomic():
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        print("other writer got the lock")
    except sqlite3.OperationalError as error:
        print(error)
"""


def _environment(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "TESTIMONIO_HOME": str(home), **extra}


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite settings only"
)
def test_sqlite_waits_for_locks_and_takes_the_write_lock_at_begin(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "testimonio", "init"],
        capture_output=True, text=True, env=_environment(tmp_path), check=True,
    )  # fmt: skip
    assert result.returncode == 0
    probe = subprocess.run(
        [sys.executable, "-c", SQLITE_PROBE],
        capture_output=True, text=True, env=_environment(tmp_path), check=True,
    )  # fmt: skip
    assert probe.stdout.splitlines() == ["30000", "database is locked"]


def test_durability_settings_that_are_off_are_named() -> None:
    assert unsafe_settings("on", "on") == []
    assert unsafe_settings("on", "local") == []
    assert unsafe_settings("off", "on") == ["fsync=off"]
    assert unsafe_settings("on", "off") == ["synchronous_commit=off"]
    assert unsafe_settings("off", "off") == ["fsync=off", "synchronous_commit=off"]


@requires_postgres
def test_postgresql_with_synchronous_commit_off_is_refused_at_start_up(
    tmp_path: Path, scratch_databases: Callable[..., str]
) -> None:
    unsafe = scratch_databases("synchronous_commit = off")
    result = subprocess.run(
        [sys.executable, "-m", "testimonio", "init"],
        capture_output=True, text=True, env=_environment(tmp_path, DATABASE_URL=unsafe),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Error: PostgreSQL runs with synchronous_commit=off: committed testimonies could be "
        "lost in a crash. Set fsync=on and synchronous_commit=on (postgresql.conf, or ALTER "
        "DATABASE/ROLE ... RESET synchronous_commit) and restart."
    ]


@requires_postgres
def test_postgresql_with_durable_settings_starts(
    tmp_path: Path, scratch_databases: Callable[..., str]
) -> None:
    safe = scratch_databases()
    result = subprocess.run(
        [sys.executable, "-m", "testimonio", "init"],
        capture_output=True, text=True, env=_environment(tmp_path, DATABASE_URL=safe),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
