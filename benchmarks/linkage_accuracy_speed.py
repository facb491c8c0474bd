"""Accuracy and speed of `testimonio.linkage` on simulated worlds of known truth.

One world is drawn with `testimonio.simulation`, big enough for the largest size asked for (the
simulator writes about 0.57 records per person across its four sources), read once and cached
(pickled tables) under --worlds, because drawing a million-record world takes minutes. Each
size is then a random subset of that world's *people* with all of their records: the same
population density of names, ports and days as a smaller world drawn on its own.

For each size, in its own process so peak memories do not mix, it times the steps of a run
(standard records from the raw tables, training, scoring, clustering), then reports pairwise and
cluster precision/recall/F1, the error in the count of unique people, the blocking recall and
the peak memory (max RSS of that process: the raw tables it read are included). The load
average is printed with every row, because the machine may be shared.

    .venv/bin/python benchmarks/linkage_accuracy_speed.py                     # 10k, 100k
    .venv/bin/python benchmarks/linkage_accuracy_speed.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: Records the simulator writes per simulated person (all sources, measured): sizes are met
#: by drawing records / this many people (a little more, so every size can be subset).
RECORDS_PER_PERSON = 0.57


def load_world(out: Path) -> tuple[dict[str, Any], Any]:
    """The tabular sources of a simulated world (the declarations by their exhibit index)."""
    import pandas as pd

    from testimonio.linkage import read_table

    truth = pd.read_csv(out / "truth" / "records.csv", dtype=str)
    tables = {}
    for source, files in truth.groupby("source")["file"]:
        name = "declarations/exhibit_index.csv" if source == "declarations" else files.iloc[0]
        tables[source] = read_table(out / name)
    return tables, truth


def cached_world(folder: Path, records: int, seed: int) -> Path:
    """A pickle of (tables, truth) of the world in ``folder``, drawn first if missing with
    enough people for ``records`` records (no DOCX/PDF declarations: only their index is read).
    """
    from testimonio.simulation.config import SimulationConfig
    from testimonio.simulation.world import generate_world

    cache = folder / "tables.pickle"
    if not cache.exists():
        if not (folder / "truth" / "records.csv").exists():
            people = int(records / RECORDS_PER_PERSON)
            config = SimulationConfig(
                people=people, sources=4, seed=seed, max_declaration_documents=0
            )
            generate_world(config, folder)
        with cache.open("wb") as handle:
            pickle.dump(load_world(folder), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return cache


def subset(tables: dict[str, Any], truth: Any, size: int, seed: int) -> tuple[dict, Any]:
    """All records of a random subset of people, about ``size`` records in all."""
    from testimonio.linkage import recognise_columns

    people = truth["person_id"].drop_duplicates()
    share = min(1.0, size / len(truth))
    kept_people = set(people.sample(frac=share, random_state=seed))
    kept = truth[truth["person_id"].isin(kept_people)]
    chosen = {}
    for source, table in tables.items():
        id_column = recognise_columns(table.columns, file=source)["record_id"]
        ids = set(kept.loc[kept["source"] == source, "record_id"])
        chosen[source] = table[table[id_column].astype(str).isin(ids)].reset_index(drop=True)
    return chosen, kept


def measure(cache: Path, size: int, seed: int, threshold: float | None) -> dict[str, Any]:
    from testimonio.linkage import (
        DEFAULT_THRESHOLD,
        available_columns,
        blocking_recall,
        evaluate_clusters,
        prepare_tables,
    )
    from testimonio.linkage.pipeline import train_model
    from testimonio.linkage.settings import blocking_rules

    with cache.open("rb") as handle:
        tables, truth = pickle.load(handle)  # noqa: S301 - our own cache file
    tables, truth = subset(tables, truth, size, seed)
    chosen = DEFAULT_THRESHOLD if threshold is None else threshold
    seconds = {}
    started = time.perf_counter()
    prepared = prepare_tables(tables)
    seconds["prepare"] = time.perf_counter() - started
    step = time.perf_counter()
    model = train_model(prepared, seed=seed)
    seconds["train"] = time.perf_counter() - step
    step = time.perf_counter()
    predictions = model.predict(min_probability=chosen)
    sql = f"SELECT count(*) FROM {predictions.physical_name}"  # noqa: S608 - Splink's name
    pairs = model.connection.execute(sql).fetchall()[0][0]
    seconds["score"] = time.perf_counter() - step
    step = time.perf_counter()
    clusters = model.cluster(predictions, chosen)
    seconds["cluster"] = time.perf_counter() - step
    seconds["total"] = time.perf_counter() - started
    quality = evaluate_clusters(clusters, truth).as_dict()
    rules = blocking_rules(available_columns(prepared), large=bool(model.large))
    recall = blocking_recall(prepared, truth, rules)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "records": len(prepared),
        "pairs_at_threshold": pairs,
        "threshold": round(chosen, 4),
        "seconds": {key: round(value, 1) for key, value in seconds.items()},
        "peak_mb": round(peak_mb),
        "blocking_recall": round(recall, 4),
        "load": os.getloadavg()[0],
        **{key: round(value, 4) for key, value in quality.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--threshold", type=float, help="default: the package's")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--world", type=Path, help="folder of a simulated world to use (drawn there if missing; "
        "default: one per largest size and seed in the temporary folder)",
    )  # fmt: skip
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.cache, args.one, args.seed, args.threshold)))
        return
    default = Path(tempfile.gettempdir()) / "testimonio-linkage-worlds"
    folder = args.world or default / f"world_{max(args.sizes)}_{args.seed}"
    folder.mkdir(parents=True, exist_ok=True)
    cache = cached_world(folder, max(args.sizes), args.seed)
    print(
        "| records | time (s): prepare + train + score + cluster = total | peak MB | load "
        "| blocking recall | pairwise P / R / F1 | cluster P / R / F1 | people found / true "
        "| count error |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for size in sorted(args.sizes):
        command = [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed),
                   "--cache", str(cache)]  # fmt: skip
        if args.threshold is not None:
            command += ["--threshold", str(args.threshold)]
        row = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        s = row["seconds"]
        print(
            f"| {row['records']:,} | {s['prepare']} + {s['train']} + {s['score']} + "
            f"{s['cluster']} = **{s['total']}** | {row['peak_mb']:,} | {row['load']:.1f} "
            f"| {row['blocking_recall']:.3f} | {row['pairwise_precision']:.3f} / "
            f"{row['pairwise_recall']:.3f} / {row['pairwise_f1']:.3f} | "
            f"{row['cluster_precision']:.3f} / {row['cluster_recall']:.3f} / "
            f"{row['cluster_f1']:.3f} | {row['people_found']:,} / {row['people_true']:,} "
            f"| {row['count_error']:+.2%} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
