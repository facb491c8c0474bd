"""Accuracy and speed of `testimonio.linkage` on simulated worlds of known truth.

For each size (records across all sources), draws a world with `testimonio.simulation`, links
its tabular sources (intake log CSV, Kobo export, partner XLSX, the declarations' exhibit index)
and reports pairwise and cluster precision/recall/F1, the error in the count of unique people,
blocking recall, wall time of the linkage (reading files excluded) and peak memory (max RSS of
the process that linked, DuckDB included). Each size runs in its own process so peaks do not
mix.

    .venv/bin/python benchmarks/linkage_accuracy_speed.py            # 10k and 100k records
    .venv/bin/python benchmarks/linkage_accuracy_speed.py --million  # also 1M (long)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Records written per simulated person (all sources, measured at seed 5): sizes are met
#: approximately by drawing records / this many people.
RECORDS_PER_PERSON = 0.61


def load_world(out: Path) -> tuple[dict, object]:
    import pandas as pd

    from testimonio.linkage import read_table

    truth = pd.read_csv(out / "truth" / "records.csv", dtype=str)
    tables = {}
    for source, files in truth.groupby("source")["file"]:
        name = "declarations/exhibit_index.csv" if source == "declarations" else files.iloc[0]
        tables[source] = read_table(out / name)
    return tables, truth


def measure(records: int, seed: int, threshold: float) -> dict:
    from testimonio.linkage import (
        available_columns,
        blocking_recall,
        evaluate_clusters,
        prepare_tables,
        run_linkage,
    )
    from testimonio.linkage.settings import blocking_rules
    from testimonio.simulation.config import SimulationConfig
    from testimonio.simulation.world import generate_world

    with tempfile.TemporaryDirectory() as folder:
        people = int(records / RECORDS_PER_PERSON)
        generate_world(SimulationConfig(people=people, sources=4, seed=seed), Path(folder))
        tables, truth = load_world(Path(folder))
    started = time.perf_counter()
    prepared = prepare_tables(tables)
    run = run_linkage(prepared, threshold=threshold, seed=seed)
    seconds = time.perf_counter() - started
    quality = evaluate_clusters(run.clusters, truth).as_dict()
    recall = blocking_recall(prepared, truth, blocking_rules(available_columns(prepared)))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "records": len(prepared),
        "pairs_scored": len(run.pairs),
        "threshold": threshold,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_mb),
        "blocking_recall": round(recall, 4),
        **{key: round(value, 4) for key, value in quality.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 records")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.seed, args.threshold)))
        return
    sizes = [*args.sizes, *([1_000_000] if args.million else [])]
    print(
        "| records | pairs scored | time (s) | peak MB | blocking recall | pairwise P / R / F1 "
        "| cluster P / R / F1 | people found / true | count error |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        command = [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed),
                   "--threshold", str(args.threshold)]  # fmt: skip
        row = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        print(
            f"| {row['records']:,} | {row['pairs_scored']:,} | {row['seconds']} | {row['peak_mb']} "
            f"| {row['blocking_recall']:.3f} | {row['pairwise_precision']:.3f} / "
            f"{row['pairwise_recall']:.3f} / {row['pairwise_f1']:.3f} | "
            f"{row['cluster_precision']:.3f} / {row['cluster_recall']:.3f} / "
            f"{row['cluster_f1']:.3f} | {row['people_found']:,} / {row['people_true']:,} "
            f"| {row['count_error']:+.2%} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
