"""Backup and restore speed: a 100,000-record instance, against the bare copy a user would make.

Builds the import benchmark's synthetic spreadsheet (fictitious names), imports it into a fresh
instance (SQLite, or a scratch PostgreSQL database with ``--postgres URL``), then times, by the
clock, alternating so load changes hit both:

- ``testimonio backup`` (consistent copy, manifest with SHA-256, age encryption) against the bare
  consistent copy without any of that: ``sqlite3.Connection.backup`` to a file, or
  ``pg_dump -Fc`` into a file;
- ``testimonio restore`` into a new empty instance (decrypt, check every hash, put in place,
  integrity check, row counts, migrate, audit chain, custody, erasure ledger) against the bare
  restore (a file copy of the SQLite copy, or ``pg_restore`` into an empty database).

Goal: each under 2 minutes. Prints a Markdown table with the 1-minute load average around it.

    .venv/bin/python benchmarks/backup_speed.py [--rows 100000] [--postgres URL] [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyrage

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_speed import build  # noqa: E402 - the benchmark next door builds the spreadsheet


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "testimonio", *args], env=env, check=True,
                   capture_output=True)  # fmt: skip


def _timed(action: Callable[..., None], *args: Any) -> float:
    started = time.perf_counter()
    action(*args)
    return time.perf_counter() - started


def _create_database(server: str) -> str:
    import psycopg

    name = f"testimonio_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


def _drop_databases(server: str, urls: list[str]) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        for url in urls:
            connection.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL", default=None)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    made: list[str] = []

    def database() -> str | None:
        if args.postgres is None:
            return None
        made.append(_create_database(args.postgres))
        return made[-1]

    try:
        with tempfile.TemporaryDirectory() as scratch:
            rows = _measure(Path(scratch), args.rows, args.runs, database)
    finally:
        if args.postgres:
            _drop_databases(args.postgres, made)
    print(rows)


def _measure(folder: Path, rows: int, runs: int, database: Callable[[], str | None]) -> str:
    identity = pyrage.x25519.Identity.generate()
    (folder / "identity.txt").write_text(f"{identity}\n", encoding="ascii")
    base = {k: v for k, v in os.environ.items() if not k.startswith("TESTIMONIO_")}
    base.pop("DATABASE_URL", None)
    base["TESTIMONIO_BACKUP_RECIPIENT"] = str(identity.to_public())
    live = {**base, "TESTIMONIO_HOME": str(folder / "live")}
    url = database()
    if url:
        live["DATABASE_URL"] = url
    build(folder / "intake.xlsx", rows)
    _run(live, "demo", "--skip-world")
    _run(live, "import", str(folder / "intake.xlsx"), "--project", "example-turnbacks",
         "--source", "Bench", "--report", str(folder / "report.csv"))  # fmt: skip
    load_before = os.getloadavg()[0]
    times: dict[str, list[float]] = {key: [] for key in ("backup", "bare", "restore", "bare_r")}
    for run in range(runs):
        out = folder / f"backup-{run}.age"
        times["backup"].append(_timed(_run, live, "backup", "--out", str(out)))
        times["bare"].append(_timed(_bare_copy, folder, live, run))
        home = folder / f"restored-{run}"
        home.mkdir(parents=True)
        shutil.copytree(folder / "live" / "keys", home / "keys")
        target = {**base, "TESTIMONIO_HOME": str(home)}
        url = database()
        if url:
            target["DATABASE_URL"] = url
        restore = ("restore", str(out), "--identity", str(folder / "identity.txt"))
        times["restore"].append(_timed(_run, target, *restore))
        times["bare_r"].append(_timed(_bare_restore, folder, run, database))
    load_after = os.getloadavg()[0]
    size = (folder / "backup-0.age").stat().st_size
    vendor = "PostgreSQL" if "DATABASE_URL" in live else "SQLite"
    best = {key: min(values) for key, values in times.items()}
    return (
        "| database | records | backup (s) | bare copy (s) | restore + verify (s) "
        "| bare restore (s) | backup file (MB) | load |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {vendor} | {rows:,} | {best['backup']:.1f} | {best['bare']:.1f} "
        f"| {best['restore']:.1f} | {best['bare_r']:.1f} | {size / 1e6:.0f} "
        f"| {load_before:.1f}-{load_after:.1f} |\n"
        f"(best of {runs}; all runs: " + ", ".join(
            f"{key} {' / '.join(f'{value:.1f}' for value in values)}"
            for key, values in times.items()
        ) + ")"
    )  # fmt: skip


def _bare_copy(folder: Path, live: dict[str, str], run: int) -> None:
    if "DATABASE_URL" in live:
        subprocess.run(["pg_dump", "-Fc", "-f", str(folder / f"bare-{run}.pgdump"),
                        live["DATABASE_URL"]], check=True)  # fmt: skip
        return
    source = sqlite3.connect(folder / "live" / "testimonio.sqlite3")
    target = sqlite3.connect(folder / f"bare-{run}.sqlite3")
    source.backup(target)
    target.close()
    source.close()


def _bare_restore(folder: Path, run: int, database: Callable[[], str | None]) -> None:
    dump = folder / f"bare-{run}.pgdump"
    if dump.exists():
        url = database()
        assert url is not None
        subprocess.run(["pg_restore", "--no-owner", "-d", url, str(dump)], check=True)
        return
    shutil.copy(folder / f"bare-{run}.sqlite3", folder / f"bare-restored-{run}.sqlite3")


if __name__ == "__main__":
    main()
