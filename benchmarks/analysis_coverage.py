"""Coverage study of the panel's 95% intervals of tactic shares, over many simulated worlds.

The assumptions of tests/analysis/test_coverage.py (one attempt per person, people travelling
alone, one tactic rate everywhere and at all times, capture independent of tactics) with
sources that report every tactic they heard (``tactic_recall`` 1.0) and with sources that
under-record each tactic (recall 0.8: each source reports a true tactic with probability 0.8).
Per tactic: how often the interval covers the configured rate, and the mean documented share.
Prints a Markdown table (docs/benchmarks/analysis.md).
Run: ``python benchmarks/analysis_coverage.py [--worlds 200] [--people 1500]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from testimonio.analysis import analysis_data, load_snapshot, standard_panel, write_snapshot
from testimonio.analysis.from_simulation import snapshot_tables
from testimonio.simulation import default_config, draw_world


def study(worlds: int, people: int, recall: float, folder: Path) -> dict[str, list[tuple]]:
    """Per tactic code: (configured rate, documented share, covered) of each world."""
    found: dict[str, list[tuple]] = {}
    for seed in range(worlds):
        config = default_config(
            people=people, seed=1000 + seed, unit_single_adult=1.0, unit_couple=0.0,
            unit_family=0.0, unit_unaccompanied_minor=0.0, mean_extra_attempts=0.0,
            metering_start=dt.date(2030, 1, 1), early_metering=(), port_tactic_multipliers=(),
            tactic_recall=recall,
        )  # fmt: skip
        path = folder / f"world-{recall}-{seed}.duckdb"
        write_snapshot(snapshot_tables(draw_world(config)), path, project="coverage")
        snapshot = load_snapshot(path)
        panel = {f.id: f for f in standard_panel(analysis_data(snapshot)) if not f.by}
        snapshot.connection.close()
        path.unlink()
        for rate in config.tactics:
            if rate.applies_to != "all" or rate.before_metering == 0:
                continue
            figure = panel[f"tactic:{rate.code}"]
            assert figure.lower is not None and figure.upper is not None
            hit = figure.lower <= rate.before_metering <= figure.upper
            found.setdefault(rate.code, []).append((rate.before_metering, figure.share, hit))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worlds", type=int, default=40)
    parser.add_argument("--people", type=int, default=1500)
    args = parser.parse_args()
    start, load = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="coverage-") as folder:
        full = study(args.worlds, args.people, 1.0, Path(folder))
        under = study(args.worlds, args.people, 0.8, Path(folder))
    seconds = time.perf_counter() - start
    end_load = os.getloadavg()[0]
    print(f"{args.worlds} worlds of {args.people:,} people per recall; {seconds:.0f} s; "
          f"load average {load:.1f} at the start, {end_load:.1f} at the end\n")  # fmt: skip
    print("| tactic | configured rate | coverage, recall 1.0 | mean share | "
          "coverage, recall 0.8 | mean share |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|")
    for code in sorted(full):
        rate = full[code][0][0]
        cells = []
        for rows in (full[code], under[code]):
            cells += [f"{sum(r[2] for r in rows) / len(rows):.1%}",
                      f"{sum(r[1] for r in rows) / len(rows):.3f}"]  # fmt: skip
        print(f"| {code} | {rate:.3f} | " + " | ".join(cells) + " |")
    for name, rows in (("recall 1.0", full), ("recall 0.8", under)):
        every = [r[2] for tactic in rows.values() for r in tactic]
        print(f"\nAll tactics, {name}: {sum(every) / len(every):.1%} of {len(every)} intervals")


if __name__ == "__main__":
    main()
