"""Time of the case list page (/p/SLUG/cases/) at 100,000 records, filtered and paged.

Makes a fresh instance in a temporary folder (SQLite, or ``--postgres URL`` for a scratch
database made on that server and dropped after), fills one project by bulk insert (persons,
one record each and a second for one in ten, one or two encounters per person, two codings
per encounter, nationalities and vulnerabilities; no identity rows: the list never reads
them), then requests the page through Django's test client as an analyst (the whole
request: middleware, queries, template) ``--repeat`` times per case and prints p50/p95 in
a Markdown table. The goal is p95 under 200 ms on the 2-core development machine; state the
load average beside the figures (it is printed), the machine is shared.

    .venv/bin/python benchmarks/web_case_list.py [--records 100000] [--repeat 30] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

PORTS = ["2504-SYS", "2503-CXW", "2506-OTM", "2604-DEC"]
TACTICS = ["TAC.THREAT", "TAC.DENY.CAPACITY", "TAC.MISINFO.NO_ASYLUM", "TAC.DENY.LIMIT_LINE"]
NATIONALITIES = ["MX", "HN", "GT", "SV", "HT", "CU"]
CASES = {
    "first page": "",
    "page after P-050000": "after=P-050000",
    "port": "port=2506-OTM",
    "period": "year_from=2019&year_to=2019",
    "tactic (with its children)": "tactic=TAC.DENY",
    "nationality": "nationality=HT",
    "vulnerability": "vulnerability=VUL.PREGNANT",
    "linked persons": "linkage=linked",
    "port + period + nationality": "port=2504-SYS&year_from=2018&year_to=2018&nationality=GT",
}


def fill(records: int) -> object:
    """A project of ``records`` persons with their records, encounters and codings."""
    from testimonio.vocab import bundled_path, read_bundle
    from testimonio.web.cases.actions import do_create_project, do_create_source, do_load_vocabulary
    from testimonio.web.cases.models import (
        Coding,
        Encounter,
        Nationality,
        Person,
        Port,
        Record,
        Term,
    )

    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Benchmark", vocabulary, None, slug="benchmark")
    sources = [do_create_source(project, f"List {n}", None) for n in range(4)]
    ports = list(Port.objects.filter(code__in=PORTS))
    nationalities = list(Nationality.objects.filter(code__in=NATIONALITIES))
    tactics = list(Term.objects.filter(version=vocabulary, code__in=TACTICS))
    rng = random.Random(1)
    persons = Person.objects.bulk_create(
        [Person(project=project, pseudonym=f"P-{n:06d}") for n in range(1, records + 1)],
        batch_size=5000,
    )
    rows = Record.objects.bulk_create(
        [Record(project=project, source=rng.choice(sources), person=person, uuid=uuid.uuid4(),
                nationality=rng.choice(nationalities),
                vulnerabilities=["VUL.PREGNANT"] if rng.random() < 0.05 else [])
         for person in persons for _ in range(2 if rng.random() < 0.1 else 1)],
        batch_size=5000,
    )  # fmt: skip
    encounters = Encounter.objects.bulk_create(
        [Encounter(project=project, person_id=record.person_id, record=record, uuid=uuid.uuid4(),
                   date_year=rng.choice([2017, 2018, 2019]), date_precision="year",
                   port=rng.choice(ports), attempt_number=attempt + 1)
         for record in rows for attempt in range(rng.randint(1, 2))], batch_size=5000,
    )  # fmt: skip
    Coding.objects.bulk_create(
        [Coding(encounter=encounter, term=term) for encounter in encounters
         for term in rng.sample(tactics, 2)], batch_size=5000,
    )  # fmt: skip
    return project


def given_name(n: int) -> str:
    return ("Ana", "Beto", "Carla", "Dario", "Elena")[n % 5]


def fill_indexes(project: object) -> None:
    """Blind indexes for every record (nothing sealed: the lookup reads only the indexes).

    Record n (in primary-key order) is ``given_name(n)`` ``Surname{n}``, born 1980 + n % 30 on
    1 March, phone 555{n:07d}: one surname per record, so a lookup finds one person.
    """
    from testimonio.crypto import (
        birth_date_index,
        given_surname_index,
        phone_index,
        surname_year_index,
    )
    from testimonio.web.cases.models import Record, RecordIdentity
    from testimonio.web.keys.ring import current_index_key

    key = current_index_key()
    rows = []
    for n, pk in enumerate(Record.objects.filter(project=project).order_by("pk")
                           .values_list("pk", flat=True)):  # fmt: skip
        year = 1980 + n % 30
        rows.append(RecordIdentity(
            record_id=pk,
            surname_year_index=surname_year_index(f"Surname{n}", f"{year}", key),
            given_surname_index=given_surname_index(given_name(n), f"Surname{n}", key),
            birth_date_index=birth_date_index(f"{year}-03-01", key),
            phone_index=phone_index(f"555{n:07d}", key),
        ))  # fmt: skip
    RecordIdentity.objects.bulk_create(rows, batch_size=5000)


def lookups(records: int) -> dict[str, dict[str, str]]:
    """Three exact lookups of the middle record, as the lookup form posts them."""
    n = records // 2
    year = str(1980 + n % 30)
    return {
        "lookup: surname + birth year": {"surnames": f"Surname{n}", "birth_year": year},
        "lookup: given name + surname": {"given_names": given_name(n), "surnames": f"Surname{n}"},
        "lookup: phone": {"phone": f"555{n:07d}"},
    }


def analyze_tables() -> None:
    """On PostgreSQL, gather the planner's statistics, as autovacuum does in a deployment
    within a minute or so of a large write. Measured without them (the bulk insert has just
    happened), the planner believes the project has one person and sorts all 100,000 to cut
    the first page, and joins the whole record and encounter tables for a page of 50: p50
    0.6-2.6 s (docs/benchmarks/web_case_list.md)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def member_client(project: object, role: str) -> object:
    """A signed-in member with ``role`` (the case list as an analyst; the lookup needs
    ``view_identity``, so an intake volunteer posts it)."""
    from django.test import Client

    from testimonio.web.accounts.actions import do_add_member, do_create_user

    user, _ = do_create_user(role, None, password=secrets.token_urlsafe(16))
    do_add_member(project, user, role, None)  # type: ignore[arg-type]
    client = Client()
    client.force_login(user)
    return client


def timed(request: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    """Milliseconds of ``repeat`` requests (after two that warm the caches), and the last
    response (each must answer 200)."""
    times = []
    for _ in range(repeat + 2):
        started = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return sorted(times[2:]), response


def row(name: str, shown: object, times: list[float]) -> str:
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return (
        f"| {name} | {shown} | {statistics.median(times):.0f} ms | {p95:.0f} ms | "
        f"{os.getloadavg()[0]:.1f} |"
    )


def measure(records: int, repeat: int) -> list[str]:
    from testimonio.cli.instance import migrate_database, prepare_home
    from testimonio.config import load_config

    prepare_home(load_config())
    migrate_database()
    started = time.perf_counter()
    project = fill(records)
    print(f"filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    fill_indexes(project)
    analyze_tables()
    client = member_client(project, "analyst")
    lines = []
    paths = {name: f"cases/?{query}" for name, query in CASES.items()}
    middle = f"P-{records // 2:06d}"
    paths[f"person page ({middle})"] = f"people/{middle}/"
    for name, path in paths.items():
        url = f"/p/benchmark/{path}"
        times, response = timed(lambda url=url: client.get(url), repeat)  # type: ignore[attr-defined, misc]
        shown = (
            response.content.count(b'<tr><td><a href="/p/benchmark/people/')
            if name in CASES
            else "–"
        )
        lines.append(row(name, shown, times))
        print(lines[-1], file=sys.stderr)
    volunteer = member_client(project, "intake")
    for name, data in lookups(records).items():
        times, response = timed(
            lambda data=data: volunteer.post("/p/benchmark/cases/lookup/", data),  # type: ignore[attr-defined, misc]
            repeat,
        )
        found = response.content.count(b'href="/p/benchmark/people/')
        assert found >= 1, f"{name}: the lookup found no one"
        lines.append(row(name, found, times))
        print(lines[-1], file=sys.stderr)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", help="server URL; a scratch database is made there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TESTIMONIO_HOME"] = str(Path(folder))
        os.environ["TESTIMONIO_ALLOWED_HOSTS"] = "testserver"
        # The lookups are rate-limited per member (60 an hour by default); the benchmark's
        # volunteer makes a hundred.
        os.environ["TESTIMONIO_REVEALS_PER_HOUR"] = "100000"
        database = ""
        if args.postgres:
            database = f"case_list_bench_{os.getpid()}"
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
            os.environ["DATABASE_URL"] = f"{args.postgres.rsplit('/', 1)[0]}/{database}"
        try:
            print(f"load before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
            lines = measure(args.records, args.repeat)
        finally:
            if database:
                from django.db import connections

                connections.close_all()
                subprocess.run(
                    ["dropdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True
                )
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{args.records:,} persons, {backend}, {args.repeat} requests per case")
    print("| case | rows shown | p50 | p95 | load (1 min) |")
    print("|---|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
