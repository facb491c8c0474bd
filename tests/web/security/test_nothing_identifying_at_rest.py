"""A canary person's name, birth date, phone and narrative are nowhere at rest in the clear:
not in the SQLite file or its WAL, not in a PostgreSQL dump, not in the instance folder or the
temporary folder the process used."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.web.security import canary_writer

WRITER = Path(canary_writer.__file__)
CANARIES = [
    canary_writer.CANARY_NAME.split()[0],
    canary_writer.CANARY_SURNAME.split()[0],
    canary_writer.CANARY_BIRTH_DATE,
    canary_writer.CANARY_PHONE.replace("+52 ", ""),
    "Xylofonista",
]


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.lower().encode("utf-8")]


def leaks_in(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [
                f"{c} in {path.name}" for c in CANARIES if any(e in data for e in encodings(c))
            ]
    return found


def run_writer(home: Path, temp: Path, **variables: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TESTIMONIO_HOME=str(home), TMPDIR=str(temp), **variables)
    env["PYTHONPATH"] = str(WRITER.parents[3])
    result = subprocess.run(
        [sys.executable, str(WRITER)], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.stdout.strip() == "written", result.stderr[-2000:]
    assert not [c for c in CANARIES if c in result.stdout + result.stderr]


def test_the_canary_appears_nowhere_in_the_sqlite_files_or_temp_folder(tmp_path: Path) -> None:
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    run_writer(home, temp)
    assert (home / "db" / "testimonio.sqlite3").stat().st_size > 100_000
    assert leaks_in(home) == [] and leaks_in(temp) == []


@pytest.mark.postgres
def test_the_canary_appears_nowhere_in_a_postgresql_dump(tmp_path: Path) -> None:
    psycopg = pytest.importorskip("psycopg")
    admin_url = "postgres://postgres@127.0.0.1:5432/test"
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    name = f"testimonio_canary_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        home, temp = tmp_path / "home", tmp_path / "tmp"
        home.mkdir()
        temp.mkdir()
        run_writer(home, temp, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}")
        dump = subprocess.run(
            ["pg_dump", "-h", "127.0.0.1", "-U", "postgres", name],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
        assert b"cases_recordidentity" in dump
        assert [c for c in CANARIES if any(e in dump for e in encodings(c))] == []
        assert leaks_in(home) == [] and leaks_in(temp) == []
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
