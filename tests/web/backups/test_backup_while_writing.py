"""A backup taken while the app writes is one consistent moment: it restores and verifies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyrage
import pytest

from tests.web.backups.conftest import requires_postgres
from tests.web.security import concurrent_writer

WRITERS, EACH = 2, 600


def _environment(home: Path, database_url: str | None, recipient: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESTIMONIO_")}
    env.pop("DATABASE_URL", None)
    env.update(
        TESTIMONIO_HOME=str(home),
        TESTIMONIO_BACKUP_RECIPIENT=recipient,
        PYTHONPATH=str(Path(__file__).parents[3]),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _testimonio(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "testimonio", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def backup_while_writing_then_restore(
    tmp_path: Path, live_url: str | None, empty_url: str | None
) -> str:
    identity = pyrage.x25519.Identity.generate()
    (tmp_path / "identity.txt").write_text(f"{identity}\n", encoding="ascii")
    live = _environment(tmp_path / "live", live_url, str(identity.to_public()))
    assert _testimonio(live, "demo", "--skip-world").returncode == 0
    writer = [sys.executable, concurrent_writer.__file__, "example-turnbacks", str(EACH)]
    writers = [subprocess.Popen(writer, env=live) for _ in range(WRITERS)]
    time.sleep(1.5)  # the writers are started and writing
    made = _testimonio(live, "backup", "--out", str(tmp_path / "b.age"))
    still_writing = [process.poll() is None for process in writers]
    for process in writers:  # enough written; a killed writer's open transaction is lost whole
        process.kill()
        process.wait(timeout=60)
    assert made.returncode == 0, made.stderr
    assert any(still_writing)  # the backup ran while the app was writing
    restored_home = tmp_path / "restored"
    restored_home.mkdir(parents=True)
    shutil.copytree(tmp_path / "live" / "keys", restored_home / "keys")
    target = _environment(restored_home, empty_url, str(identity.to_public()))
    args = ("restore", str(tmp_path / "b.age"), "--identity", str(tmp_path / "identity.txt"))
    restored = _testimonio(target, *args)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    return restored.stdout


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite run only"
)
def test_a_sqlite_backup_during_writes_restores_with_matching_counts_and_chain(
    tmp_path: Path,
) -> None:
    assert "Restored and verified" in backup_while_writing_then_restore(tmp_path, None, None)


@requires_postgres
def test_a_postgresql_backup_during_writes_restores_with_matching_counts_and_chain(
    tmp_path: Path, scratch_databases: Callable[..., str]
) -> None:
    live, empty = scratch_databases(), scratch_databases()
    assert "Restored and verified" in backup_while_writing_then_restore(tmp_path, live, empty)
