"""Load: 20 concurrent intake users for 3 minutes against ``testimonio serve`` on 127.0.0.1.

Each user (a thread with its own httpx client, cookies and login) browses the project's people
(paged), a person, the imports and export pages, and half the time submits a small import
through the web (upload, mapping as proposed, confirm): the intake form does not exist yet.
Afterwards every acknowledged submission must be in the database once (none lost or doubled)
and no request may have failed. Prints p50/p95 per endpoint. Goal: p95 under 500 ms.

    .venv/bin/python benchmarks/load_intake.py [--users 20] [--seconds 180] [--threads 8]
        [--workers N]
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
                instance, args.users, args.seconds, threads=args.threads, workers=args.workers
            )
            load_after = os.getloadavg()[0]
    finally:
        if args.postgres and name:
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    vendor = "PostgreSQL" if url else "SQLite"
    requests = sum(len(values) for values in results.timings.values())
    print(f"{vendor}: {args.users} users, {args.seconds:.0f} s, serve --threads {args.threads} "
          f"--workers {args.workers or 1}; "
          f"{requests:,} requests, {len(results.acknowledged)} submissions acknowledged and "
          f"found once, {len(results.errors)} errors; 1-minute load {load_before:.1f}-"
          f"{load_after:.1f}; server CPU {results.server_cpu * 1000 / max(requests, 1):.0f} ms "
          f"per request\n")  # fmt: skip
    print(results.table())
    for error in results.errors[:20]:
        print("error:", error)
    sys.exit(1 if results.errors else 0)


if __name__ == "__main__":
    main()
