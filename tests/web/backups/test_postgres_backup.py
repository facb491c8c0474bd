"""On PostgreSQL a backup is pg_dump -Fc in one snapshot, restored with pg_restore, verified."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyrage

from tests.web.backups.conftest import requires_postgres


def _run(
    home: Path, database_url: str, *args: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESTIMONIO_")}
    env.update(TESTIMONIO_HOME=str(home), DATABASE_URL=database_url, **extra)
    return subprocess.run(
        [sys.executable, "-m", "testimonio", *args],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


@requires_postgres
def test_a_postgresql_instance_backs_up_and_restores_into_an_empty_database(
    tmp_path: Path, scratch_databases: Callable[..., str]
) -> None:
    identity = pyrage.x25519.Identity.generate()
    (tmp_path / "identity.txt").write_text(f"{identity}\n", encoding="ascii")
    recipient = {"TESTIMONIO_BACKUP_RECIPIENT": str(identity.to_public())}
    live, empty = scratch_databases(), scratch_databases()
    old, new = tmp_path / "old", tmp_path / "new"
    assert _run(old, live, "demo", "--skip-world").returncode == 0
    made = _run(old, live, "backup", "--out", str(tmp_path / "pg.age"), **recipient)
    assert made.returncode == 0, made.stderr
    assert "Database: postgresql" in made.stdout and "Documents: 1 sealed files" in made.stdout
    for home in (new, tmp_path / "third"):
        home.mkdir(parents=True)
        shutil.copytree(old / "keys", home / "keys")  # master and audit keys
    args = ("restore", str(tmp_path / "pg.age"), "--identity", str(tmp_path / "identity.txt"))
    restored = _run(new, empty, *args)
    assert restored.returncode == 0, restored.stderr
    assert "Restored and verified" in restored.stdout
    refused = _run(tmp_path / "third", live, *args)
    assert refused.returncode == 2 and "is not empty" in refused.stderr
