"""`make test` checks PostgreSQL for real under CI: a server that does not answer fails the run."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOWHERE = "POSTGRES_URL=postgres://postgres@127.0.0.1:1/nothing_listens_here"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make_test_postgres(**environment: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "MAKEFLAGS", "MFLAGS"}}
    # -o: never rebuild the venv from here, only run the PostgreSQL step.
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "test-postgres", NOWHERE]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env={**env, **environment}, timeout=60
    )


def test_under_ci_a_postgresql_that_does_not_answer_fails_the_run() -> None:
    result = _make_test_postgres(CI="true")
    assert result.returncode != 0
    assert "under CI=true that is a FAILURE" in result.stdout


def test_outside_ci_a_postgresql_that_does_not_answer_is_skipped_out_loud() -> None:
    result = _make_test_postgres()
    assert result.returncode == 0, result.stderr
    assert "SKIPPING the PostgreSQL run" in result.stdout
