"""A US legal-aid project's intake log: CSV, English column names, US date format.

One row per intake (a person may be taken in twice). Names are typed on an English keyboard,
so accents are often lost; birth dates are MM/DD/YYYY, a bare year, or empty with the age only.
The row tells the person's last turn-back: port, date, how many times they tried, and staff notes
on what officers did (each true tactic noted with probability ``tactic_recall``).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np

from testimonio.simulation.config import SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback
from testimonio.simulation.phrases import english_phrase
from testimonio.simulation.sources.common import (
    Plan,
    SourceOutput,
    SourceRecord,
    ages_on,
    format_days,
    joined_choices,
    language_labels,
    mapped,
    nationality_labels,
    plan_records,
    port_short_name,
    recalled_tactics,
    recorded_births,
    recorded_names,
    source_random,
    source_rng,
    tick,
)

COLUMNS = (
    "intake_id", "intake_date", "first_name", "last_name", "dob", "age", "gender",
    "country_of_origin", "primary_language", "interpreter_needed", "phone", "port_of_entry",
    "date_of_last_attempt", "number_of_attempts", "expressed_fear", "what_happened",
    "family_members_present", "staff", "notes",
)  # fmt: skip
GENDER_WORDS = ("Male", "Female", "Trans woman", "Trans man", "Non-binary")
STAFF = ("AM", "JR", "KT", "LV", "MG", "SP", "DC")


def write_legal_aid(
    world: DrawnWorld,
    column: int,
    spec: SourceSpec,
    out_dir: Path,
    progress: ProgressCallback | None,
) -> SourceOutput:
    """Write ``<key>/intake_log.csv`` and return the truth of every row."""
    seed = world.config.seed
    rng, rnd = source_rng(seed, spec.key), source_random(seed, spec.key)
    plan = plan_records(world, column, spec, rng)
    tick(progress, f"Writing {spec.key}", 0, len(plan))
    folder = out_dir / spec.key
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "intake_log.csv"
    relative = f"{spec.key}/intake_log.csv"
    output = SourceOutput(spec.key, spec.kind, spec.organization, files=[path])
    columns = _columns(world, plan, spec, rng, rnd)
    record_ids = [str(record_id) for record_id in columns[0]]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(zip(*columns, strict=True))
    encounters = world.last_turned_back[plan.person].tolist()
    output.records = [
        SourceRecord(
            spec.key,
            record_id,
            person,
            encounter,
            record_ids[original] if original >= 0 else "",
            relative,
            str(row_number),
        )
        for row_number, (record_id, person, encounter, original) in enumerate(
            zip(
                record_ids,
                plan.person.tolist(),
                encounters,
                plan.duplicate_of.tolist(),
                strict=True,
            ),
            start=2,
        )
    ]
    tick(progress, f"Writing {spec.key}", len(plan), len(plan))
    return output


def _columns(
    world: DrawnWorld, plan: Plan, spec: SourceSpec, rng: np.random.Generator, rnd: random.Random
) -> list[list[object]]:
    """Every column of the intake log, in ``COLUMNS`` order, one value per planned record."""
    population, encounters = world.population, world.encounters
    persons, size = plan.person, len(plan)
    unit = population.unit[persons]
    units = population.units
    last = world.last_turned_back[persons]
    given, paternal, maternal = recorded_names(world, persons, spec, rng, rnd)
    surnames = [f"{p} {m}".strip() for p, m in zip(paternal, maternal, strict=True)]
    born, precision = recorded_births(world, persons, spec, rng)
    dob = np.where(
        precision == 0,
        format_days(born, "%m/%d/%Y"),
        mapped(born.astype("datetime64[Y]"), lambda year: "" if np.isnat(year) else str(year)),
    )
    tactics = joined_choices(
        recalled_tactics(world, last, world.config.tactic_recall, rng),
        [english_phrase(code) for code in encounters.tactic_codes],
        "; ",
    )
    fear = np.where(
        encounters.fear_expressed[last],
        "Yes",
        np.asarray(["No", "No", "Unknown"], dtype=object)[rng.integers(0, 3, size)],
    )
    minor_alone = (population.age[persons] < 18) & (units.kind[unit] == 3)
    nationality = units.nationality[unit]
    language = units.language[unit]
    phone = rng.integers([600, 100, 1000], [1000, 1000, 10000], (size, 3)).tolist()
    english = {code: labels[0] for code, labels in nationality_labels().items()}
    languages = {code: labels[0] for code, labels in language_labels().items()}
    return [
        [f"LA-{year}-{number:06d}" for number, year in enumerate(_years(plan.day), start=1)],
        format_days(plan.day, "%m/%d/%Y").tolist(),
        given.tolist(),
        surnames,
        dob.tolist(),
        ages_on(population.birth_date[persons], plan.day).tolist(),
        np.asarray(GENDER_WORDS, dtype=object)[population.gender_identity[persons]].tolist(),
        mapped(nationality, lambda code: english.get(code, code)).tolist(),
        mapped(language, lambda code: languages.get(code, code)).tolist(),
        np.where(np.isin(language, ["spa", "eng"]), "N", "Y").tolist(),
        [f"+52 {a} {b} {c}" for a, b, c in phone],
        mapped(encounters.port[last], port_short_name).tolist(),
        format_days(encounters.day[last], "%m/%d/%Y").tolist(),
        world.turn_backs[persons].tolist(),
        fear.tolist(),
        tactics.tolist(),
        (units.size[unit] - 1).tolist(),
        np.asarray(STAFF, dtype=object)[rng.integers(0, len(STAFF), size)].tolist(),
        np.where(minor_alone, "UAM", "").tolist(),
    ]


def _years(days: np.ndarray) -> list[int]:
    years: list[int] = (days.astype("datetime64[Y]").astype(int) + 1970).tolist()
    return years
