"""Our linkage and a generic Splink set-up, on the same data, in one run.

The generic set-up is what a competent user would write from Splink's documentation without
tuning: the lists reshaped by hand into first name, surname, date of birth (ISO, parsed with
pandas from the layout the user knows), street address, city and postcode; Splink's library
comparisons (``NameComparison``, ``DateOfBirthComparison``, Jaro-Winkler on the street, exact
city and postcode with term frequencies); blocking on pairs of those fields; the match prior
from a deterministic rule, u by random sampling, m by EM in two passes; links at probability
0.95, the threshold of Splink's tutorials. Its reshaping is written per data set (that is what
the user does); ours reads every file as it came.

Data sets:

- ``world``: an acceptance world of our simulator (4 sources, about 21,500 records, seed 5),
  the world of tests/linkage/test_accuracy.py;
- ``english``: two English-language lists of 5,000 records each with addresses over six
  columns and compact dates (:mod:`testimonio.simulation.english_lists`, overlap 0.5);
- ``latin``: two lists of the world above (the shelter and legal-aid sources) given English
  headers in one and Spanish in the other.

Each data set and method runs in its own process (peak memories and caches do not mix); the
table gives pairwise precision/recall/F1, cluster F1, the error in the count of people, wall
and processor seconds, and the load average.

    .venv/bin/python benchmarks/linkage_generic_side_by_side.py --sets english world latin
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: Records the simulator writes per person in all sources together (tests/linkage/test_accuracy.py).
RECORDS_PER_PERSON = 0.61


def _world_tables(folder: Path) -> tuple[dict[str, Any], Any]:
    import pandas as pd

    from testimonio.linkage import read_table
    from testimonio.simulation.config import SimulationConfig
    from testimonio.simulation.world import generate_world

    cache = folder / "world.pickle"
    if cache.exists():
        with cache.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own cache file
    world = folder / "world"
    people = int(21_500 / RECORDS_PER_PERSON)
    generate_world(SimulationConfig(people=people, sources=4, seed=5), world)
    truth = pd.read_csv(world / "truth" / "records.csv", dtype=str)
    tables = {}
    for source, files in truth.groupby("source")["file"]:
        name = "declarations/exhibit_index.csv" if source == "declarations" else files.iloc[0]
        tables[source] = read_table(world / name)
    with cache.open("wb") as handle:
        pickle.dump((tables, truth), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return tables, truth


def load_set(name: str, folder: Path) -> tuple[dict[str, Any], Any]:
    """The tables (source -> frame of text) and truth (source, record_id, person_id)."""
    if name == "english":
        from testimonio.simulation.english_lists import english_lists

        lists = english_lists(5000, overlap=0.5, seed=7)
        return {"first": lists.first, "second": lists.second}, lists.truth
    tables, truth = _world_tables(folder)
    if name == "world":
        return tables, truth
    return _latin_lists(tables, truth)


def _latin_lists(tables: dict[str, Any], truth: Any) -> tuple[dict[str, Any], Any]:
    """Two of the world's lists, one with English headers and one with Spanish ones."""
    from testimonio.linkage import recognise_columns

    english = {
        "record_id": "Record ID", "given_name": "First Name", "surname": "Last Name",
        "paternal_surname": "Last Name", "maternal_surname": "Second Last Name",
        "full_name": "Full Name", "birth_date": "Date of Birth", "age": "Age", "sex": "Sex",
        "nationality": "Nationality", "port": "Port of Entry", "encounter_date": "Date of Attempt",
        "phone": "Phone",
    }  # fmt: skip
    spanish = {
        "record_id": "Folio", "given_name": "Nombre(s)", "surname": "Apellidos",
        "paternal_surname": "Apellido Paterno", "maternal_surname": "Apellido Materno",
        "full_name": "Nombre Completo", "birth_date": "Fecha de Nacimiento", "age": "Edad",
        "sex": "Sexo", "nationality": "Nacionalidad", "port": "Garita",
        "encounter_date": "Fecha del Intento", "phone": "Teléfono",
    }  # fmt: skip
    names = sorted(tables, key=lambda source: -len(tables[source]))[:2]
    chosen = {}
    for source, headers in zip(names, (english, spanish), strict=True):
        table = tables[source]
        found = recognise_columns(table.columns, file=source)
        renamed = {column: headers[field] for field, column in found.items() if field in headers}
        chosen[source] = table[list(renamed)].rename(columns=renamed)
    return chosen, truth[truth["source"].isin(names)]


# --- ours ---------------------------------------------------------------------------------


def run_ours(tables: dict[str, Any]) -> Any:
    from testimonio.linkage import prepare_tables, run_linkage

    return run_linkage(prepare_tables(tables), seed=5).clusters


# --- generic Splink -----------------------------------------------------------------------

_GENERIC_COLUMNS = ("first_name", "surname", "dob", "street_address", "city", "postcode")


def generic_frame(table: Any, source: str) -> Any:
    """What the user writes to bring one list into the generic schema: pick the columns,
    lower-case the text and drop accents, parse the dates (the formats the user knows), keep
    the first word of a surname, split a full name."""
    import pandas as pd

    from testimonio.linkage import recognise_columns

    found = recognise_columns(table.columns, file=source)

    def text(field: str) -> Any:
        if field not in found:
            return pd.Series(None, index=table.index, dtype=object)
        values = table[found[field]].fillna("").astype(str).str.strip().str.lower()
        values = values.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
        return values.where(values != "", None)

    out = pd.DataFrame(index=table.index)
    out["record_id"] = (
        table[found["record_id"]].astype(str)
        if "record_id" in found
        else [str(number) for number in range(1, len(table) + 1)]
    )
    out["first_name"] = text("given_name").str.split(" ").str[0]
    surname = text("surname").fillna(text("paternal_surname")).str.split(" ").str[0]
    full = text("full_name").str.split(" ")
    out["first_name"] = out["first_name"].fillna(full.str[0])
    # A full name of three words or more ends with two surnames (the user knows the lists are
    # Latin American); the first of them is the one the other lists put first.
    out["surname"] = surname.fillna(full.map(_full_name_surname, na_action="ignore"))
    out["dob"] = _dates(text("birth_date"))
    street = text("street_number").fillna("") + " " + text("street").fillna("")
    street = street.str.strip().fillna("")
    address = text("address").fillna(street)
    out["street_address"] = address.where(address != "", None)
    out["city"] = text("locality")
    out["postcode"] = text("postcode")
    return out


def _full_name_surname(words: list[str]) -> str | None:
    if len(words) < 2:
        return None
    return words[-2] if len(words) >= 3 else words[-1]


def _dates(values: Any) -> Any:
    """ISO dates: compact 19151111, ISO, and slashed (month first in the US lists, day first
    in the others: the user knows which) parsed by pandas; unreadable ones left null."""
    import pandas as pd

    compact = pd.to_datetime(values, format="%Y%m%d", errors="coerce")
    iso = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    month_first = pd.to_datetime(values, format="%m/%d/%Y", errors="coerce")
    day_first = pd.to_datetime(values, format="%d/%m/%Y", errors="coerce")
    # One layout per column: the slashed order that reads more of the column.
    slashed = month_first if month_first.notna().sum() >= day_first.notna().sum() else day_first
    parsed = compact.fillna(iso).fillna(slashed)
    return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None)


def run_generic(tables: dict[str, Any]) -> Any:
    import duckdb
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frames = []
    for source, table in tables.items():
        frame = generic_frame(table, source)
        frame.insert(0, "source", source)
        frames.append(frame)
    union = pd.concat(frames, ignore_index=True)
    union.insert(0, "unique_id", range(len(union)))
    available = [column for column in _GENERIC_COLUMNS if union[column].notna().any()]
    comparisons = [cl.NameComparison("first_name"), cl.NameComparison("surname")]
    if "dob" in available:
        comparisons.append(cl.DateOfBirthComparison("dob", input_is_string=True))
    if "street_address" in available:
        comparisons.append(cl.JaroWinklerAtThresholds("street_address"))
    for column in ("city", "postcode"):
        if column in available:
            comparisons.append(cl.ExactMatch(column).configure(term_frequency_adjustments=True))
    blocking = [block_on("first_name", "surname")]
    if "dob" in available:
        blocking += [block_on("surname", "dob"), block_on("first_name", "dob")]
    if "postcode" in available:
        blocking.append(block_on("postcode", "first_name"))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
        additional_columns_to_retain=["source", "record_id"],
    )
    db_api = DuckDBAPI(connection=duckdb.connect())
    linker = Linker(db_api.register(union, dataset_display_name="lists"), settings)
    deterministic = (
        [block_on("first_name", "surname", "dob")] if "dob" in available else blocking[:1]
    )
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=5)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    if "dob" in available:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=0.95)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.95)
    frame = clusters.as_pandas_dataframe()
    return frame[["source", "record_id", "cluster_id"]]


def measure(name: str, method: str, folder: Path) -> dict[str, Any]:
    import logging

    from testimonio.linkage import evaluate_clusters

    logging.getLogger("splink").setLevel(logging.ERROR)
    tables, truth = load_set(name, folder)
    started, processor = time.perf_counter(), time.process_time()
    clusters = run_ours(tables) if method == "ours" else run_generic(tables)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - processor
    clusters = clusters.astype({"source": str, "record_id": str})
    truth = truth.astype({"source": str, "record_id": str})
    quality = evaluate_clusters(clusters, truth).as_dict()
    return {
        "set": name,
        "method": method,
        "records": sum(len(table) for table in tables.values()),
        "seconds": round(seconds, 1),
        "processor_seconds": round(cpu, 1),
        "load": round(os.getloadavg()[0], 1),
        **{key: round(value, 4) for key, value in quality.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["english", "world", "latin"])
    parser.add_argument("--methods", nargs="+", default=["ours", "generic"])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "side-by-side")
    parser.add_argument("--one", nargs=2, metavar=("SET", "METHOD"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    arguments.cache.mkdir(parents=True, exist_ok=True)
    if arguments.one:
        print(json.dumps(measure(*arguments.one, arguments.cache)))  # noqa: T201
        return
    for name in arguments.sets:
        for method in arguments.methods:
            command = [sys.executable, __file__, "--cache", str(arguments.cache)]
            command += ["--one", name, method]
            result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
            if result.returncode:
                print(f"{name} {method} failed:\n{result.stderr[-3000:]}")  # noqa: T201
                continue
            print(result.stdout.strip().splitlines()[-1], flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
