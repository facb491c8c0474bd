"""Time and memory of the analysis snapshot and the full panel, for a given number of people.

    .venv/bin/python benchmarks/analysis_speed.py --persons 100000 1000000 \
        [--snapshot-dir /tmp/speed1m] [--parquet]

For each size a default simulated world is drawn large enough that about that many people are
on a list (the snapshot's persons), its events resolved, and its snapshot written as a DuckDB
file (and, with ``--parquet``, as a Parquet folder). With ``--snapshot-dir`` the snapshot is
kept there (``world-<people>.duckdb``) and reused by the next run when it has the current
table hash (schema version 3 to 5): drawing a world of 2.8 million people is slow on a loaded
machine. Then, in a fresh process per form: load with every table's SHA-256 verified, prepare
the data (persons, events, tactics per event) and the full panel with every breakdown (port,
month, quarter, year, nationality, language, gender identity, age band, child, vulnerability).

Each step is reported in wall seconds and in CPU seconds (user + system of the measuring
process, all its threads: ``resource.getrusage``), with the load average before and after:
on a shared machine CPU seconds are the fair figure. Peak memory is the process's VmHWM
(``/proc/self/status``). Prints a Markdown table; docs/benchmarks/analysis.md holds the
measured one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

#: Share of a default world's people who are on at least one list (measured: 0.36).
DOCUMENTED_SHARE = 0.36

COMMON = """
import json, resource, sys, time
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
def timed(result, name, step):
    wall, used = time.perf_counter(), cpu()
    value = step()
    result[name] = [time.perf_counter() - wall, cpu() - used]
    return value
"""

WRITE = (
    COMMON
    + """
from pathlib import Path
from testimonio.analysis import resolve_events, write_snapshot
from testimonio.analysis.from_simulation import snapshot_tables
from testimonio.simulation import default_config, draw_world

people, out, parquet = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
result = {}
world = timed(result, "world", lambda: draw_world(default_config(people=people, seed=1)))
tables = timed(result, "tables", lambda: snapshot_tables(world))
resolution = timed(
    result, "resolve", lambda: resolve_events(tables["encounters"], tables["records"])
)
tables["events"], tables["event_reports"] = resolution.events, resolution.event_reports
timed(result, "write_duckdb", lambda: write_snapshot(tables, out, project="benchmark"))
if parquet:
    folder = out.with_suffix(".parquet")
    timed(result, "write_parquet", lambda: write_snapshot(tables, folder, project="benchmark"))
result["peak_mb"] = peak_mb()
print(json.dumps(result))
"""
)

PANEL = (
    COMMON
    + """
from testimonio.analysis import BY_FIELDS, analysis_data, load_snapshot, standard_panel

result = {}
snapshot = timed(result, "load", lambda: load_snapshot(sys.argv[1]))
data = timed(result, "prepare", lambda: analysis_data(snapshot))
figures = timed(result, "panel", lambda: standard_panel(data, by=BY_FIELDS))
tables = snapshot.manifest["tables"]
result.update(figures=len(figures), peak_mb=peak_mb(), persons=tables["persons"]["rows"],
              reports=tables["encounters"]["rows"], events=tables["events"]["rows"])
print(json.dumps(result))
"""
)


def run(code: str, *arguments: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=True
    )
    # The last JSON line: DuckDB's progress bar can print to stdout after it on a slow machine.
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    measured: dict[str, Any] = json.loads(lines[-1])
    return measured


def current_snapshot(path: Path) -> bool:
    """Whether ``path`` holds a snapshot with the current table hash (so it can be reused):
    versions 4 and 5 only added optional tables the benchmark's worlds do not have, so a version 3
    snapshot is measured the same."""
    from testimonio.analysis.snapshot import load_snapshot
    from testimonio.analysis.snapshot_schema import JSON_HASH_VERSIONS, SUPPORTED_SCHEMA_VERSIONS
    from testimonio.errors import InputError

    try:
        version = load_snapshot(path, verify=False).manifest["schema_version"]
    except InputError:
        return False
    return version in SUPPORTED_SCHEMA_VERSIONS and version not in JSON_HASH_VERSIONS


def seconds(pair: list[float]) -> str:
    return f"{pair[0]:.1f} / {pair[1]:.1f}"


HEADER = (
    "| persons | reports | events | form | load + verify | prepare | panel "
    "| prepare + panel | total | figures | peak VmHWM (MB) | load average |\n"
    + "|---:" * 3
    + "|---"
    + "|---:" * 7
    + "|---|"
)


def measure(size: int, folder: Path, parquet: bool) -> None:
    people = round(size / DOCUMENTED_SHARE)
    path = folder / f"world-{people}.duckdb"
    forms = [path, *([path.with_suffix(".parquet")] if parquet else [])]
    if all(form.exists() and current_snapshot(form) for form in forms):
        print(f"{size:,}: reusing {path}", flush=True)
    else:
        for form in forms:
            if form.is_dir():
                shutil.rmtree(form)
            elif form.exists():
                form.unlink()
        load = os.getloadavg()[0]
        built = run(WRITE, str(people), str(path), "1" if parquet else "0")
        steps = ("world", "tables", "resolve", "write_duckdb", "write_parquet")
        print(
            f"{size:,}: built (load {load:.1f} -> {os.getloadavg()[0]:.1f}; wall / CPU s) "
            + ", ".join(f"{step} {seconds(built[step])}" for step in steps if step in built)
            + f", peak {built['peak_mb']:,.0f} MB",
            flush=True,
        )
    print(HEADER, flush=True)
    for form in forms:
        load = os.getloadavg()[0]
        row = run(PANEL, str(form))
        total = [row["load"][i] + row["prepare"][i] + row["panel"][i] for i in (0, 1)]
        after_load = [row["prepare"][i] + row["panel"][i] for i in (0, 1)]
        print(
            f"| {row['persons']:,} | {row['reports']:,} | {row['events']:,} "
            f"| {'parquet' if form.suffix == '.parquet' else 'duckdb'} "
            f"| {seconds(row['load'])} | {seconds(row['prepare'])} | {seconds(row['panel'])} "
            f"| {seconds(after_load)} | {seconds(total)} | {row['figures']:,} "
            f"| {row['peak_mb']:,.0f} | {load:.1f} → {os.getloadavg()[0]:.1f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--snapshot-dir", type=Path, help="keep and reuse the snapshots here")
    parser.add_argument("--parquet", action="store_true", help="also the Parquet form")
    arguments = parser.parse_args()
    print("Times as wall s / CPU s (user + system, all threads of the measuring process).")
    with tempfile.TemporaryDirectory() as scratch:
        folder = arguments.snapshot_dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in arguments.persons:
            measure(size, folder, arguments.parquet)


if __name__ == "__main__":
    main()
