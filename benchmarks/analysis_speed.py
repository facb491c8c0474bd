"""Time and memory of the analysis snapshot and the full panel, at 100,000 and 1,000,000 people.

For each size a simulated world is drawn large enough that about that many people are on a
list (the snapshot's persons); its snapshot is written once as a DuckDB file and once as a
Parquet folder (the two forms a user can pick), events resolved and stored with it. Then, in
a fresh process per form (so peak resident memory is that run's alone): load with hash
verification, prepare the data, and the full panel with every breakdown (port, month,
quarter, year, nationality, language, gender identity, age band, child, vulnerability).
Prints a Markdown table; docs/benchmarks/analysis.md holds the measured one, with the load.

    .venv/bin/python benchmarks/analysis_speed.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: Share of a default world's people who are on at least one list (measured: 0.36).
DOCUMENTED_SHARE = 0.36

WRITE = """
import json, sys, time
from pathlib import Path
from testimonio.analysis import resolve_events, write_snapshot
from testimonio.analysis.from_simulation import snapshot_tables
from testimonio.simulation import default_config, draw_world

people, out = int(sys.argv[1]), Path(sys.argv[2])
world = draw_world(default_config(people=people, seed=1))
tables = snapshot_tables(world)
started = time.perf_counter()
resolution = resolve_events(tables["encounters"], tables["records"])
resolve = time.perf_counter() - started
tables["events"], tables["event_reports"] = resolution.events, resolution.event_reports
result = {"resolve_seconds": resolve, "persons": len(tables["persons"]),
          "reports": len(tables["encounters"]), "events": len(resolution.events)}
for name in ("snapshot.duckdb", "snapshot_parquet"):
    started = time.perf_counter()
    write_snapshot(tables, out / name, project="benchmark")
    result[name] = time.perf_counter() - started
print(json.dumps(result))
"""

PANEL = """
import json, resource, sys, time
from testimonio.analysis import BY_FIELDS, analysis_data, load_snapshot, standard_panel

path = sys.argv[1]
started = time.perf_counter()
snapshot = load_snapshot(path)
loaded = time.perf_counter() - started
started = time.perf_counter()
data = analysis_data(snapshot)
prepared = time.perf_counter() - started
started = time.perf_counter()
figures = standard_panel(data, by=BY_FIELDS)
panel = time.perf_counter() - started
print(json.dumps({"load_seconds": loaded, "prepare_seconds": prepared, "panel_seconds": panel,
                  "figures": len(figures),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *arguments: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=True
    )
    measured: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    arguments = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(
        "| persons | reports | events | resolve (s) | form | write (s) | load + verify (s) "
        "| prepare (s) | panel (s) | total after load (s) | figures | peak RSS (MB) |"
    )
    print("|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in arguments.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            written = run(WRITE, str(int(size / DOCUMENTED_SHARE)), scratch)
            for form in ("snapshot.duckdb", "snapshot_parquet"):
                row = run(PANEL, str(Path(scratch) / form))
                print(
                    f"| {written['persons']:,} | {written['reports']:,} | {written['events']:,} "
                    f"| {written['resolve_seconds']:.1f} | {form.split('_')[-1]} "
                    f"| {written[form]:.1f} | {row['load_seconds']:.1f} "
                    f"| {row['prepare_seconds']:.1f} | {row['panel_seconds']:.1f} "
                    f"| {row['prepare_seconds'] + row['panel_seconds']:.1f} | {row['figures']:,} "
                    f"| {row['peak_mb']:,.0f} |",
                    flush=True,
                )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
