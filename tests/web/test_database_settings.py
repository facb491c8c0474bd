"""The embedded SQLite database runs in the durable, concurrent mode DESIGN.md promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.web.backups.conftest import DATABASE_URL, requires_postgres

PROBE = """
from testimonio.web.setup import setup_django
setup_django()
from django.db import connection
with connection.cursor() as cursor:
    values = []
    for pragma in ("journal_mode", "synchronous", "foreign_keys", "secure_delete"):
        cursor.execute(f"PRAGMA {pragma}")
        values.append(str(cursor.fetchall()[0][0]))
print(" ".join(values))
"""


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite settings only"
)
def test_sqlite_runs_in_wal_mode_with_full_sync_foreign_keys_and_secure_delete(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TESTIMONIO_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.split() == ["wal", "2", "1", "1"]


SETTINGS_PROBE = """
from django.conf import settings
from testimonio.web.setup import setup_django
setup_django()
database = settings.DATABASES["default"]
print(database["CONN_MAX_AGE"], database.get("CONN_HEALTH_CHECKS", False))
"""

#: A kept connection that the server dropped: the next request gets a new one, no error.
DROPPED_PROBE = """
import os
import psycopg
from django.core.signals import request_finished, request_started
from testimonio.web.setup import setup_django
setup_django()
from django.db import connection
request_started.send(sender=None)
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    first = cursor.fetchone()[0]
request_finished.send(sender=None)
with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as other:
    other.execute("SELECT pg_terminate_backend(%s)", [first])
request_started.send(sender=None)
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    second = cursor.fetchone()[0]
request_finished.send(sender=None)
print("kept" if first == second else "replaced")
"""


def _settings_of(home: Path, database_url: str, probe: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESTIMONIO_")}
    env.update(TESTIMONIO_HOME=str(home), DATABASE_URL=database_url)
    env["TESTIMONIO_SECRET_KEY"] = "x" * 64
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def test_postgresql_connections_are_kept_between_requests_and_checked_before_reuse(
    tmp_path: Path,
) -> None:
    # Settings only: no server is needed to read them.
    url = "postgres://postgres@127.0.0.1:5432/anything"
    assert _settings_of(tmp_path, url, SETTINGS_PROBE) == "300 True"


def test_sqlite_connections_are_opened_per_request(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert _settings_of(tmp_path, url, SETTINGS_PROBE) == "0 False"


@requires_postgres
def test_a_kept_connection_the_server_dropped_is_replaced_at_the_next_request(
    tmp_path: Path,
) -> None:
    assert _settings_of(tmp_path, DATABASE_URL, DROPPED_PROBE) == "replaced"
