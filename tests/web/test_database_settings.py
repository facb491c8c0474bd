"""The embedded SQLite database runs in the durable, concurrent mode DESIGN.md promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
