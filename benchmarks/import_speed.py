"""Import speed: 100,000 rows end to end (read, map, validate, seal identities, write, audit),
against openpyxl's bare read of the same XLSX.

Builds a synthetic intake spreadsheet (fictitious names) with XlsxWriter, times
``openpyxl.load_workbook(read_only=True)`` iterating every cell, then ``testimonio import`` into
a fresh instance in a temporary folder (subprocess, SQLite). Prints a Markdown table with the
1-minute load average before and after (the machine is often shared) and the ratio, by the
clock and in CPU seconds (the bare read's, and the import process's own): on a loaded machine
the clock measures the other people's work too, the CPU time much less so.

    .venv/bin/python benchmarks/import_speed.py [--rows 100000] [--workers N]

``--workers`` sets TESTIMONIO_IMPORT_WORKERS for the import (default: the import's own default,
one worker process per CPU, at most four; 0 for everything in the importing process).
``--postgres URL`` (a server, e.g. postgres://postgres@127.0.0.1:5432/test) imports into a
scratch database made there for the run and dropped after it, instead of SQLite (the server's
own CPU time is not in the CPU column).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import xlsxwriter

HEADER = [
    "record_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "port_of_entry",
    "encounter_date",
    "what_happened",
]
GIVEN = ["Ana", "José", "María", "Luis", "Guadalupe", "Jean", "Roselène", "Juana", "Pedro"]
SURNAMES = ["Pérez", "Gómez", "López", "Hernández", "Joseph", "Tziquin", "Ramírez", "Díaz"]
PORTS = ["2504-SYS", "2503-CXW", "2506-OTM", "2504-PEDW"]
TACTICS = ["TAC.THREAT", "TAC.DENY.CAPACITY", "TAC.MISINFO", "TAC.DENY.LIMIT_LINE"]


def build(path: Path, rows: int) -> None:
    rng = random.Random(1)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Intake")
    sheet.write_row(0, 0, HEADER)
    for n in range(1, rows + 1):
        sheet.write_row(
            n,
            0,
            [
                f"R-{n:07d}",
                rng.choice(GIVEN),
                f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}",
                f"{rng.randint(1950, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(PORTS),
                f"{rng.randint(2016, 2019)}-{rng.randint(1, 12):02d}",
                rng.choice(TACTICS),
            ],
        )
    workbook.close()


def bare_read_timed(path: Path) -> tuple[float, float]:
    """Seconds by the clock and of CPU to read every cell with openpyxl."""
    started, cpu = time.perf_counter(), time.process_time()
    workbook = openpyxl.load_workbook(path, read_only=True)
    for row in workbook.active.iter_rows(values_only=True):  # type: ignore[union-attr]
        for _ in row:
            pass
    return time.perf_counter() - started, time.process_time() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def imported_timed(
    path: Path, home: Path, workers: int | None, database_url: str | None = None
) -> tuple[float, float]:
    """Seconds by the clock and of CPU (the import process's and its workers') for
    ``testimonio import``."""
    env = {**os.environ, "TESTIMONIO_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    if workers is not None:
        env["TESTIMONIO_IMPORT_WORKERS"] = str(workers)
    run = [sys.executable, "-m", "testimonio"]
    subprocess.run([*run, "demo", "--skip-world"], env=env, check=True, capture_output=True)
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        [
            *run,
            "import",
            str(path),
            "--project",
            "example-turnbacks",
            "--source",
            "Bench",
            "--report",
            str(home / "report.csv"),
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started, _children_cpu() - cpu


@contextmanager
def scratch_database(server: str | None) -> Iterator[str | None]:
    """A new empty PostgreSQL database on ``server`` for the run (dropped after), or None."""
    if server is None:
        yield None
        return
    import psycopg

    name = f"testimonio_bench_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--postgres", metavar="URL", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, scratch_database(args.postgres) as database:
        path = Path(folder) / "intake.xlsx"
        build(path, args.rows)
        load_before = os.getloadavg()[0]
        read, read_cpu = bare_read_timed(path)
        whole, whole_cpu = imported_timed(path, Path(folder) / "home", args.workers, database)
        load_after = os.getloadavg()[0]
    print(
        "| rows | openpyxl bare read (s) | testimonio import end to end (s) | rows/s "
        "| CPU s: read / import | load |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.rows:,} | {read:.1f} | {whole:.1f} | {args.rows / whole:,.0f} "
        f"| {read_cpu:.1f} / {whole_cpu:.1f} | {load_before:.1f}-{load_after:.1f} |"
    )
    print(f"import / bare read: {whole / read:.2f} by the clock, {whole_cpu / read_cpu:.2f} in CPU")


if __name__ == "__main__":
    main()
