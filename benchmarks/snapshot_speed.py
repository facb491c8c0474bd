"""Time of writing a project's analysis snapshot from the Django models, at 100,000 records.

Makes a fresh instance in a temporary folder (SQLite, or ``--postgres URL`` for a scratch
database made on that server and dropped after), fills one project with synthetic rows by bulk
insert (persons, one record each, one or two encounters per record, two codings per
encounter; no identity rows: the writer never reads them), records a linkage run, then times
``build_snapshot_tables`` (the Django queries) and ``do_write_snapshot`` (queries, DuckDB
file, hashes, audit event). Prints a Markdown row; docs/benchmarks/analysis.md keeps the
measured ones.

    .venv/bin/python benchmarks/snapshot_speed.py [--records 100000] [--postgres URL]
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
import uuid
from pathlib import Path

PORTS = ["2504-SYS", "2503-CXW", "2506-OTM", "2402-PDN"]
TACTICS = ["TAC.THREAT", "TAC.DENY.CAPACITY", "TAC.MISINFO.NO_ASYLUM", "TAC.DENY.LIMIT_LINE"]
OUTCOMES = ["OUT.TURNED_BACK", "OUT.METERED.LISTED"]


def fill(records: int) -> object:
    """A project of ``records`` records (one person each) and their encounters and codings."""
    from testimonio.vocab import bundled_path, read_bundle
    from testimonio.web.cases.actions import do_create_project, do_create_source, do_load_vocabulary
    from testimonio.web.cases.models import Coding, Encounter, Person, Port, Record, Term
    from testimonio.web.linking.models import LinkRun

    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Benchmark", vocabulary, None, slug="benchmark")
    sources = [do_create_source(project, f"List {n}", None) for n in range(4)]
    ports = {port.code: port for port in Port.objects.filter(code__in=PORTS)}
    terms = {
        t.code: t for t in Term.objects.filter(version=vocabulary, code__in=TACTICS + OUTCOMES)
    }
    rng = random.Random(1)
    persons = Person.objects.bulk_create(
        [Person(project=project, pseudonym=f"P-{n:06d}") for n in range(records)], batch_size=5000
    )
    rows = Record.objects.bulk_create(
        [Record(project=project, source=rng.choice(sources), person=person, uuid=uuid.uuid4(),
                gender_identity=rng.choice(["woman", "man"]), age_band="18-29",
                vulnerabilities=["VUL.CHILD"] if rng.random() < 0.1 else [])
         for person in persons], batch_size=5000,
    )  # fmt: skip
    encounters = Encounter.objects.bulk_create(
        [Encounter(project=project, person_id=record.person_id, record=record, uuid=uuid.uuid4(),
                   date_year=2018, date_month=rng.randint(1, 12), date_precision="month",
                   port=ports.get(rng.choice(PORTS)), attempt_number=attempt + 1,
                   fear_expressed=rng.choice(["yes", "no", "unknown"]),
                   outcome=terms.get(rng.choice(OUTCOMES)))
         for record in rows for attempt in range(rng.randint(1, 2))], batch_size=5000,
    )  # fmt: skip
    tactic_terms = [terms[code] for code in TACTICS if code in terms]
    Coding.objects.bulk_create(
        [Coding(encounter=encounter, term=term) for encounter in encounters
         for term in rng.sample(tactic_terms, 2)], batch_size=5000,
    )  # fmt: skip
    LinkRun.objects.create(project=project, input_hash="0" * 64, threshold=0.9)
    return project


def measure(records: int, home: Path) -> str:
    from testimonio.cli.instance import migrate_database, prepare_home
    from testimonio.config import load_config

    prepare_home(load_config())
    migrate_database()
    from testimonio.web.snapshots.actions import do_write_snapshot
    from testimonio.web.snapshots.tables import build_snapshot_tables

    project = fill(records)
    started = time.perf_counter()
    tables = build_snapshot_tables(project)  # type: ignore[arg-type]
    read = time.perf_counter() - started
    started = time.perf_counter()
    manifest = do_write_snapshot(project, home / "snapshot.duckdb", None)  # type: ignore[arg-type]
    write = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = manifest["tables"]
    return (
        f"| {records:,} | {rows['encounters']['rows']:,} | {rows['codings']['rows']:,} | "
        f"{read:.1f} s | {write:.1f} s | {peak:,.0f} MB | {len(tables)} tables |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--postgres", help="server URL; a scratch database is made there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        os.environ["TESTIMONIO_HOME"] = str(home)
        database = ""
        if args.postgres:
            database = f"snapshot_bench_{os.getpid()}"
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
            os.environ["DATABASE_URL"] = f"{args.postgres.rsplit('/', 1)[0]}/{database}"
        try:
            print(f"load before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
            row = measure(args.records, home)
            print(f"load after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
        finally:
            if database:
                from django.db import connections

                connections.close_all()
                subprocess.run(
                    ["dropdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True
                )
    print("| records | encounters | codings | read (queries) | write (all, audited) | peak RSS | |")
    print("|---|---|---|---|---|---|---|")
    print(row)


if __name__ == "__main__":
    main()
