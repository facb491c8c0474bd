"""Several processes writing at once still produce one unbroken audit chain."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.security import canary_writer, concurrent_writer

WRITERS, EACH = 4, 15


def environment(home: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TESTIMONIO_HOME=str(home), PYTHONPATH=str(Path(__file__).parents[3]))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def write_concurrently_and_verify(env: dict[str, str]) -> str:
    subprocess.run([sys.executable, canary_writer.__file__], env=env, check=True, timeout=300)
    writers = [
        subprocess.Popen([sys.executable, concurrent_writer.__file__, "canary", str(EACH)], env=env)
        for _ in range(WRITERS)
    ]
    assert [writer.wait(timeout=300) for writer in writers] == [0] * WRITERS
    verify = subprocess.run(
        [sys.executable, "-m", "testimonio", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stderr
    events = int(verify.stdout.split(":")[1].split()[0])
    assert events >= WRITERS * EACH + 1  # every writer's every action is in the chain
    return verify.stdout


def test_concurrent_writers_on_sqlite_keep_one_chain(tmp_path: Path) -> None:
    out = write_concurrently_and_verify(environment(tmp_path, None))
    assert "The audit chain is whole" in out


@pytest.fixture
def postgres_database() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(
            "postgres://postgres@127.0.0.1:5432/test", autocommit=True, connect_timeout=3
        )
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    name = f"testimonio_concurrency_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.postgres
def test_concurrent_writers_on_postgresql_keep_one_chain(
    tmp_path: Path, postgres_database: str
) -> None:
    out = write_concurrently_and_verify(environment(tmp_path, postgres_database))
    assert "The audit chain is whole" in out
