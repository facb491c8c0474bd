"""Crash test at scale: many SIGKILLs at random moments during import, linkage, backup and
the two report commands (``report evidence``, ``report public``).

The bounded version runs in ``make test`` (``tests/cli/test_crash_kills.py``, 40 kills); this
one does as many as asked, with the same checks after each (:mod:`tests.cli.crash`): all or
nothing, the app starts, the audit chain and custody verify, no worker process left behind,
no partial backup file, a report's folder exactly the old or the new report, and a killed
command run again completes. Prints a Markdown table of where the kills landed and how many
checks failed (the goal: none), with the load average when each command's kills ended.

    .venv/bin/python benchmarks/crash_kills.py [--kills 100] [--seed 19] [--rows 8000]
        [--only report-evidence --only report-public]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.cli.crash import kill_many, prepare, recovers  # noqa: E402 - the test's harness


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=100, help="kills per command")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--rows", type=int, default=8_000, help="rows of the killed import")
    parser.add_argument("--only", action="append", help="kill only this command (repeat)")
    args = parser.parse_args()
    print("| command | kills | landed mid-run | left before | left after | failed checks "
          "| rerun | time (s) | load |\n|---|---:|---:|---:|---:|---:|---|---:|---:|")  # fmt: skip
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        prepared = prepare(Path(scratch), import_rows=args.rows)
        for name, scenario in prepared.scenarios.items():
            if args.only and name not in args.only:
                continue
            started = time.perf_counter()
            outcomes = kill_many(prepared, name, args.kills, args.seed, Path(scratch) / name)
            rerun = recovers(prepared, scenario, Path(scratch) / f"{name}-again")
            states = Counter(o.state for o in outcomes)
            failed = [o for o in outcomes if o.problems]
            failures += len(failed) + bool(rerun)
            for outcome in failed:
                print(f"<!-- {name} at {outcome.delay:.2f}s: {outcome.problems} -->")
            print(f"| {name} ({scenario.duration:.1f} s uninterrupted) | {len(outcomes)} "
                  f"| {sum(o.killed for o in outcomes)} | {states['before']} | {states['after']} "
                  f"| {len(failed)} | {'ok' if not rerun else '; '.join(rerun)} "
                  f"| {time.perf_counter() - started:.0f} "
                  f"| {os.getloadavg()[0]:.1f} |")  # fmt: skip
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
