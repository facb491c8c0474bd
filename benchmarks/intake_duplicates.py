"""Time of the intake form's duplicate check at 100,000 records, beside the exact one it extends.

Fills a fresh instance as ``web_case_list.py`` does (SQLite, or ``--postgres URL`` for a scratch
database dropped after), then seals every record's identity the way an import does (a data key
per record, wrapped under the master key; all blind indexes): names drawn from 40 common
surnames (weighted as such names are: a few very common), 30 birth years and 5 given names,
so that a common surname's block holds hundreds of records, as it would. Then, ``--repeat``
times for each entry, side by side in the same run:

- *exact (main)*: the blind-index match the form used before (``matching_persons``:
  surname + year, phone; nothing decrypted);
- *scored*: ``do_check_duplicates`` (blocking on the blind indexes, then at most 100
  candidates opened and scored, and the audit event).

Each entry is a record's identity with a typo, swapped surnames or a dropped maternal surname.
It prints p50/p95 wall-clock and the processor seconds per check (the machine is shared: the
load average is printed beside them).

    .venv/bin/python benchmarks/intake_duplicates.py [--records N] [--repeat N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

SURNAMES = [
    "Garcia", "Hernandez", "Lopez", "Martinez", "Gonzalez", "Rodriguez", "Perez", "Sanchez",
    "Ramirez", "Cruz", "Flores", "Gomez", "Morales", "Vazquez", "Reyes", "Jimenez", "Torres",
    "Diaz", "Gutierrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Moreno", "Castillo", "Romero",
    "Alvarez", "Mendez", "Chavez", "Rivera", "Juarez", "Ramos", "Dominguez", "Herrera",
    "Medina", "Castro", "Vargas", "Guzman", "Velazquez", "Quintero",
]  # fmt: skip
GIVEN = ["Ana", "Beto", "Carla", "Dario", "Elena"]


def identity_of(n: int, rng: random.Random) -> tuple[str, str, str]:
    """Record n's given name, surnames and birth date (Zipf-like surnames)."""
    weights = [1 / (rank + 1) for rank in range(len(SURNAMES))]
    paternal, maternal = rng.choices(SURNAMES, weights, k=2)
    year = 1980 + n % 30
    return GIVEN[n % 5], f"{paternal} {maternal}", f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}"


def seal_all(project: Any) -> list[tuple[str, str, str]]:
    """Every record's identity sealed with its own data key, as an import writes it."""
    from testimonio.crypto import wrap_data_keys
    from testimonio.web.cases.models import Record, RecordIdentity
    from testimonio.web.imports.row_values import new_keys
    from testimonio.web.keys.identity import IdentityFields, sealed_identity_columns
    from testimonio.web.keys.models import DataKey
    from testimonio.web.keys.ring import current_index_key, key_ring

    rng, index, master = random.Random(7), current_index_key(), key_ring().current
    records = list(Record.objects.filter(project=project).order_by("pk").values_list("pk", "uuid"))
    keys = new_keys(len(records))
    owners = [str(owner) for _, owner in records]
    wrapped = wrap_data_keys(keys, owners, master)
    DataKey.objects.bulk_create(
        [DataKey(owner=owner, wrapped=w, master_key_id=master.key_id.hex())
         for owner, w in zip(owners, wrapped, strict=True)], batch_size=5000,
    )  # fmt: skip
    identities, rows = [], []
    for n, ((pk, _), owner, key) in enumerate(zip(records, owners, keys, strict=True)):
        given, surnames, born = identity_of(n, rng)
        identities.append((given, surnames, born))
        fields = IdentityFields(given, surnames, born)
        rows.append(
            RecordIdentity(record_id=pk, **sealed_identity_columns(owner, fields, key, index))
        )
        if len(rows) == 5000:
            RecordIdentity.objects.bulk_create(rows)
            rows = []
    RecordIdentity.objects.bulk_create(rows)
    return identities


def entries(identities: list[tuple[str, str, str]]) -> dict[str, tuple[str, str, str]]:
    """Three ways the middle record may be entered again."""
    given, surnames, born = identities[len(identities) // 2]
    paternal, maternal = surnames.split(" ")
    return {
        "typo in the given name": (given[:-1] + "x", surnames, born),
        "surnames swapped": (given, f"{maternal} {paternal}", born),
        "maternal surname dropped": (given, paternal, born),
    }


def timed(check: Callable[[], Any], repeat: int) -> tuple[list[float], float, Any]:
    """Wall milliseconds of ``repeat`` checks (after two that warm caches), processor
    milliseconds per check, and the last result."""
    times, result = [], None
    processor = 0.0
    for turn in range(repeat + 2):
        started, cpu = time.perf_counter(), time.process_time()
        result = check()
        if turn >= 2:
            times.append((time.perf_counter() - started) * 1000)
            processor += time.process_time() - cpu
    return sorted(times), processor * 1000 / repeat, result


def row(name: str, found: object, times: list[float], processor: float) -> str:
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return (
        f"| {name} | {found} | {statistics.median(times):.0f} ms | {p95:.0f} ms | "
        f"{processor:.0f} ms | {os.getloadavg()[0]:.1f} |"
    )


def measure(records: int, repeat: int) -> list[str]:
    from testimonio.cli.instance import migrate_database, prepare_home
    from testimonio.config import load_config
    from testimonio.linkage import IdentityFacts
    from web_case_list import analyze_tables, fill

    prepare_home(load_config())
    migrate_database()
    from testimonio.web.accounts.actions import do_add_member, do_create_user
    from testimonio.web.accounts.models import Membership
    from testimonio.web.intake.duplicates import do_check_duplicates
    from testimonio.web.intake.lookup import Lookup, matching_persons

    started = time.perf_counter()
    project = fill(records)
    identities = seal_all(project)
    analyze_tables()
    print(f"filled and sealed in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    user, _ = do_create_user("volunteer", None, password="x" * 20)
    do_add_member(project, user, "intake", None)  # type: ignore[arg-type]
    membership = Membership.objects.select_related("project").get(user=user)
    lines = []
    for name, (given, surnames, born) in entries(identities).items():
        lookup = Lookup(surnames=surnames, birth_year=born)
        exact = timed(lambda lookup=lookup: matching_persons(project, lookup), repeat)  # type: ignore[misc]
        lines.append(row(f"{name}: exact (main)", len(exact[2]), exact[0], exact[1]))
        facts = IdentityFacts(given, surnames, born)
        scored = timed(lambda facts=facts: do_check_duplicates(membership, user, facts), repeat)  # type: ignore[misc]
        lines.append(row(f"{name}: scored", len(scored[2]), scored[0], scored[1]))
        print(*lines[-2:], sep="\n", file=sys.stderr)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres", help="server URL; a scratch database is made there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TESTIMONIO_HOME"] = str(Path(folder))
        database = ""
        if args.postgres:
            database = f"duplicates_bench_{os.getpid()}"
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
    print(f"{args.records:,} records, {backend}, {args.repeat} checks per case")
    print("| entry: check | persons shown | p50 | p95 | processor per check | load (1 min) |")
    print("|---|---|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
