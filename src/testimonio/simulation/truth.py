"""Write ``truth/``: what really happened, to check every linkage, coding and estimate against.

* ``people.csv``: every person of the true population (also those no list captured), with true
  names, birth date, nationality, language, vulnerabilities (``VUL.*``), turn-backs and the
  lists they are on.
* ``encounters.csv``: every attempt, with its true tactics (space-separated ``TAC.*`` codes),
  fear (``FEAR.MODE.*``) and outcome (``OUT.*``). Members of a unit share its encounters.
* ``records.csv``: the true person (and encounter) of every record any source holds.
* ``capture_histories.csv``: observed capture patterns, one 0/1 column per list and ``count``
  (the input of ``testimonio estimate``).
* ``summary.json``: true population size, true number ever turned away, per-list counts and
  the full configuration.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from testimonio.simulation.draw import DrawnWorld
from testimonio.simulation.names import ROLE_NAMES
from testimonio.simulation.population import BIRTH_PRECISIONS, GENDER_IDENTITIES, UNIT_KIND_NAMES
from testimonio.simulation.sources.common import SourceOutput
from testimonio.simulation.vulnerabilities import vulnerability_flags


def person_id(index: np.ndarray | int) -> Any:
    if isinstance(index, int):
        return f"P{index:07d}"
    return pd.Series(index).map("P{:07d}".format)


def encounter_id(index: np.ndarray | int) -> Any:
    if isinstance(index, int):
        return f"E{index:07d}" if index >= 0 else ""
    return pd.Series(index).map(lambda value: f"E{value:07d}" if value >= 0 else "")


def joined_codes(flags: dict[str, np.ndarray], size: int) -> np.ndarray:
    """Space-separated codes per row, from code -> boolean column."""
    joined = np.full(size, "", dtype=object)
    for code, flag in flags.items():
        joined[flag] = joined[flag] + (" " + code)
    return np.asarray([text.strip() for text in joined], dtype=object)


def people_table(world: DrawnWorld) -> pd.DataFrame:
    population = world.population
    units = population.units
    unit = population.unit
    table = pd.DataFrame(
        {
            "person_id": person_id(np.arange(len(population))),
            "unit_id": pd.Series(unit).map("U{:07d}".format),
            "unit_kind": np.asarray(UNIT_KIND_NAMES, dtype=object)[units.kind[unit]],
            "role": np.asarray(ROLE_NAMES, dtype=object)[population.role],
            "given_names": population.given_names,
            "paternal_surname": population.paternal_surname,
            "maternal_surname": population.maternal_surname,
            "sex_at_birth": np.where(population.female, "F", "M"),
            "gender_identity": np.asarray(GENDER_IDENTITIES, dtype=object)[
                population.gender_identity
            ],
            "birth_date": population.birth_date.astype(str),
            "birth_date_known": np.asarray(BIRTH_PRECISIONS, dtype=object)[
                population.birth_precision
            ],
            "age_at_first_attempt": population.age,
            "nationality": units.nationality[unit],
            "language": units.language[unit],
            "vulnerabilities": joined_codes(vulnerability_flags(population), len(population)),
            "turn_backs": world.turn_backs,
            "ever_turned_away": world.ever_turned_away.astype(int),
        }
    )
    for column, key in enumerate(world.source_keys):
        table[f"on_{key}"] = world.captured[:, column].astype(int)
    return table


def encounters_table(world: DrawnWorld) -> pd.DataFrame:
    encounters = world.encounters
    flags = {
        code: encounters.tactics[:, index] for index, code in enumerate(encounters.tactic_codes)
    }
    return pd.DataFrame(
        {
            "encounter_id": encounter_id(np.arange(len(encounters))),
            "unit_id": pd.Series(encounters.unit).map("U{:07d}".format),
            "attempt": encounters.attempt,
            "date": encounters.day.astype(str),
            "port": encounters.port,
            "metering": encounters.metering.astype(int),
            "turned_back": encounters.turned_back.astype(int),
            "fear_mode": encounters.fear_mode,
            "fear_expressed": encounters.fear_expressed.astype(int),
            "fear_language": encounters.fear_language,
            "outcome": encounters.outcome,
            "tactics": joined_codes(flags, len(encounters)),
        }
    )


def records_table(outputs: list[SourceOutput]) -> pd.DataFrame:
    rows = [
        (
            r.source,
            r.record_id,
            person_id(r.person),
            encounter_id(r.encounter),
            r.duplicate_of,
            r.file,
            r.location,
        )
        for output in outputs
        for r in output.records
    ]
    columns = [
        "source",
        "record_id",
        "person_id",
        "encounter_id",
        "duplicate_of",
        "file",
        "location",
    ]
    return pd.DataFrame(rows, columns=columns)


def capture_patterns(world: DrawnWorld) -> pd.DataFrame:
    """Observed capture patterns with counts (people on no list are left out, as in real data)."""
    patterns = Counter(map(tuple, world.captured[world.captured.any(axis=1)].astype(int).tolist()))
    rows = [(*pattern, count) for pattern, count in sorted(patterns.items(), reverse=True)]
    return pd.DataFrame(rows, columns=[*world.source_keys, "count"])


def summary(world: DrawnWorld, outputs: list[SourceOutput]) -> dict[str, Any]:
    captured = world.captured
    return {
        "population_size": len(world.population),
        "family_units": len(world.population.units),
        "encounters": len(world.encounters),
        "turned_back_encounters": int(world.encounters.turned_back.sum()),
        "ever_turned_away": int(world.ever_turned_away.sum()),
        "documented_people": int(captured.any(axis=1).sum()),
        "lists": {
            output.key: {
                "organization": output.organization,
                "records": len(output.records),
                "people": int(captured[:, column].sum()),
                "files": sorted({record.file for record in output.records}),
            }
            for column, output in enumerate(outputs)
        },
        "config": world.config.to_dict(),
    }


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """What ``table.to_csv(path, index=False, lineterminator="\n")`` writes, several times
    faster: the tables hold only strings and integers."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.columns)
        for start in range(0, len(table), 100_000):  # in slices: Python rows cost memory
            part = table.iloc[start : start + 100_000]
            writer.writerows(zip(*(part[column].tolist() for column in part.columns), strict=True))


def write_truth(world: DrawnWorld, outputs: list[SourceOutput], out_dir: Path) -> list[Path]:
    """Write every truth file and return their paths."""
    folder = out_dir / "truth"
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "people.csv": people_table(world),
        "encounters.csv": encounters_table(world),
        "records.csv": records_table(outputs),
        "capture_histories.csv": capture_patterns(world),
    }
    paragraphs = [
        (record_id, paragraph, encounter_id(encounter), tactics)
        for output in outputs
        for record_id, paragraph, encounter, tactics in output.paragraphs
    ]
    if paragraphs:
        columns = ["record_id", "paragraph", "encounter_id", "tactics_told"]
        tables["declaration_paragraphs.csv"] = pd.DataFrame(paragraphs, columns=columns)
    paths = []
    for name, table in tables.items():
        write_csv(table, folder / name)
        paths.append(folder / name)
    summary_path = folder / "summary.json"
    summary_path.write_text(
        json.dumps(summary(world, outputs), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    paths.append(summary_path)
    return paths
