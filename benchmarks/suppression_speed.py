"""Suppression time: a release of 10 linked tables of about 2,000 cells each, and the demo size.

    .venv/bin/python benchmarks/suppression_speed.py [--people N] [--seed S] [--tables 3 10]

Each release counts one synthetic population with skewed (Zipf-like) categories, so that many
cells are small: port within region, month within year, nationality, tactic, language, age
group, sex. Prints per release: cells, equations, primary and complementary cells, cut rounds,
seconds (wall clock) to build, for the integer program and for the independent audit, their
total, the processor seconds this process used (what the machine's load does not inflate),
and the load average.
Goal (issue 17): the 10-table release under 30 s. Results in docs/benchmarks/suppression.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import Counter

import numpy as np

from testimonio.reporting.suppression import (
    Dimension,
    Table,
    audit_pattern,
    build_problem,
    cell_key,
)
from testimonio.reporting.suppression.complementary import complementary_suppression

THRESHOLD = 5


def dimensions() -> dict[str, Dimension]:
    regions = {f"R{r}": [f"R{r}P{p}" for p in range(5)] for r in range(5)}
    years = {str(y): [f"{y}-{m:02d}" for m in range(1, 13)] for y in (2023, 2024)}
    flat = {"nationality": 10, "tactic": 6, "language": 6, "age": 6, "sex": 2}
    found = {
        name: Dimension.flat(name, [f"{name}{i}" for i in range(n)]) for name, n in flat.items()
    }
    found["port"] = Dimension.nested("port", regions)
    found["month"] = Dimension.nested("month", years)
    return found


LARGE = [
    ("port", "nationality", "tactic"),
    ("port", "nationality", "language"),
    ("port", "nationality", "age"),
    ("month", "nationality", "tactic"),
    ("month", "nationality", "language"),
    ("month", "nationality", "age"),
    ("port", "month", "sex"),
    ("nationality", "tactic", "language", "sex"),
    ("nationality", "age", "language", "sex"),
    ("port", "language", "age"),
]
DEMO = [("port", "tactic"), ("port", "nationality"), ("month", "tactic")]


def population(size: int, seed: int) -> list[dict[str, str]]:
    """Synthetic people (no names, only categories), each category Zipf-skewed."""
    rng = np.random.default_rng(seed)
    leaves = {
        name: [v for v in dimension.values() if dimension.is_leaf(v)]
        for name, dimension in dimensions().items()
    }
    drawn = {}
    for name, values in leaves.items():
        weights = 1.0 / np.arange(1, len(values) + 1) ** 1.1
        drawn[name] = rng.choice(values, size=size, p=weights / weights.sum())
    return [{name: str(drawn[name][i]) for name in leaves} for i in range(size)]


def release(layouts: list[tuple[str, ...]], people: list[dict[str, str]]) -> list[Table]:
    known = dimensions()
    tables = []
    for layout in layouts:
        counts = Counter(tuple(person[name] for name in layout) for person in people)
        tables.append(Table("_".join(layout), tuple(known[n] for n in layout), dict(counts)))
    return tables


def measure(label: str, tables: list[Table]) -> None:
    started, computing = time.perf_counter(), time.process_time()
    problem = build_problem(tables, THRESHOLD)
    built = time.perf_counter()
    pattern = complementary_suppression(problem)
    solved = time.perf_counter()
    report = audit_pattern(problem, pattern.suppressed, pattern.witnesses)
    audited = time.perf_counter()
    computed = time.process_time() - computing
    cells = sum(len(table.cells()) for table in tables)
    primary = sum(p.reason == "small cell" for p in problem.protections)
    groups = len(problem.protections) - primary
    complementary = int(pattern.suppressed.sum()) - primary
    sizes = f"{len(tables)} | {cells:,} | {len(problem.keys):,} | {problem.equations.shape[0]:,}"
    found = f"{primary:,} | {groups:,} | {complementary:,} | {pattern.rounds}"
    seconds = f"{built - started:.1f} | {solved - built:.1f} | {audited - solved:.1f}"
    seconds += f" | {audited - started:.1f} | {computed:.1f}"
    verdict = "passed" if report.passed else "FAILED"
    load = os.getloadavg()[0]
    print(f"| {label} | {sizes} | {found} | {seconds} | {verdict} | {load:.2f} |", flush=True)


FLAT = [("nationality", "tactic"), ("nationality", "language"), ("tactic", "language")]


def compare_with_tau_argus(people: list[dict[str, str]]) -> None:
    """τ-ARGUS (pytauargus, if installed) on the same flat tables, one at a time as it works.

    Its pattern is then audited under our rule over the whole (linked) release.
    """
    try:
        from pytauargus import protect
    except ImportError:
        print("pytauargus is not installed: no τ-ARGUS comparison")
        return
    tables = release(FLAT, people)
    rows = [{**person, "one": 1} for person in people]
    started = time.perf_counter()
    hidden = set()
    # τ-ARGUS writes its solver logs (CSPlogfile.txt, cspSCIP.*) into the working directory.
    workdir = tempfile.mkdtemp(prefix="tau-argus-")
    previous = os.getcwd()
    os.chdir(workdir)
    try:
        protected = [
            protect(
                rows,
                tables=[[d.name for d in t.dimensions]],
                response="one",
                safety_rules=f"FREQ({THRESHOLD},0)",
            )
            for t in tables
        ]
    finally:
        os.chdir(previous)
        shutil.rmtree(workdir, ignore_errors=True)
    for table, result in zip(tables, protected, strict=True):
        names = [d.name for d in table.dimensions]
        for row in result.tables[0].rows:
            if row["status"] in ("U", "M"):
                hidden.add(cell_key(table.dimensions, [str(row[n]) for n in names]))
    elapsed = time.perf_counter() - started
    problem = build_problem(tables, THRESHOLD)
    report = audit_pattern(problem, np.array([key in hidden for key in problem.keys]))
    print(
        f"τ-ARGUS OPT, each table alone: {len(hidden)} cells hidden in {elapsed:.1f} s; "
        f"our audit: {len(report.failures)} requirements fail (load {os.getloadavg()[0]:.2f})"
    )
    measure("same flat tables, ours", tables)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--demo-people", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tables", type=int, nargs="*", default=[3, 10])
    arguments = parser.parse_args()
    print(
        "| release | tables | table cells | distinct cells | equations | small cells | group rules "
        "| complementary | rounds | build s | solve s | audit s | total s | CPU s | audit "
        "| load (1 min) |"
    )
    print("|" + " --- |" * 16)
    measure("demo", release(DEMO, population(arguments.demo_people, arguments.seed)))
    compare_with_tau_argus(population(arguments.demo_people, arguments.seed))
    people = population(arguments.people, arguments.seed)
    for count in arguments.tables:
        measure(f"{count} x 2,000", release(LARGE[:count], people))


if __name__ == "__main__":
    main()
