"""Load: 20 concurrent intake users for 3 minutes against ``testimonio serve`` on 127.0.0.1.

Each user (a thread with its own httpx client, cookies and login) lists and filters the case
list (sometimes its next page), opens a person, half the time enters a testimony through the
intake form (one or two encounters, sometimes a family member), looks up testimonies it entered
(the exact lookup must find that person alone) and now and then opens the imports or export
page. Afterwards every acknowledged submission must be in the database once, as the pseudonym
its confirmation page showed, and no request may have failed. Prints p50/p95 per endpoint and
the server's CPU per request (which a loaded machine does not change). Goal: p95 under 500 ms.

    .venv/bin/python benchmarks/load_intake.py [--users 20] [--seconds 180] [--threads 8]
        [--workers N] [--think SECONDS]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres]

With ``--postgres`` the instance is a scratch database on that server (dropped afterwards).
The driver is the bounded test's (``tests/web/load/driver.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.web.load.driver import load, prepare  # noqa: E402 - the test's driver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--threads", type=int, default=8, help="testimonio serve --threads")
    parser.add_argument("--workers", type=int, default=None, help="serve --workers (default 1)")
    parser.add_argument("--base-rows", type=int, default=2_000, help="people already there")
    parser.add_argument("--postgres", metavar="URL", default=None)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause in seconds before each page (0: back to back)",
    )
    args = parser.parse_args()
    url, name = None, None
    if args.postgres:
        import psycopg

        name = f"testimonio_load_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.postgres, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        url = args.postgres.rsplit("/", 1)[0] + "/" + name
    try:
        with tempfile.TemporaryDirectory() as scratch:
            instance = prepare(Path(scratch), base_rows=args.base_rows, database_url=url)
            load_before = os.getloadavg()[0]
            results = load(
                instance,
                args.users,
                args.seconds,
                threads=args.threads,
                workers=args.workers,
                think=args.think,
            )
            load_after = os.getloadavg()[0]
    finally:
        if args.postgres and name:
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    vendor = "PostgreSQL" if url else "SQLite"
    requests = results.requests()
    p50, p95 = results.overall()
    print(f"{vendor}: {args.users} users, {args.seconds:.0f} s, serve --threads {args.threads} "
          f"--workers {args.workers or 1}, think {args.think:g} s; {requests:,} requests, "
          f"{len(results.acknowledged)} testimonies acknowledged and found once, "
          f"{results.lookups} lookups found them, {len(results.errors)} errors; "
          f"all but login p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms; 1-minute load "
          f"{load_before:.1f}-{load_after:.1f}; server CPU "
          f"{results.server_cpu * 1000 / max(requests, 1):.0f} ms per request\n")  # fmt: skip
    print(results.table())
    for error in results.errors[:20]:
        print("error:", error)
    sys.exit(1 if results.errors else 0)


if __name__ == "__main__":
    main()
