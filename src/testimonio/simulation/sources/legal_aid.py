"""A US legal-aid project's intake log: CSV, English column names, US date format.

One row per intake (a person may be taken in twice). Names are typed on an English keyboard,
so accents are often lost; birth dates are MM/DD/YYYY, a bare year, or empty with the age only.
The row tells the person's last turn-back: port, date, how many times they tried, and staff notes
on what officers did (each true tactic noted with probability ``tactic_recall``).
"""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

from testimonio.simulation.config import SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback
from testimonio.simulation.phrases import english_phrase
from testimonio.simulation.population import GENDER_IDENTITIES
from testimonio.simulation.sources.common import (
    SourceOutput,
    SourceRecord,
    age_on,
    language_labels,
    nationality_labels,
    plan_records,
    port_short_name,
    recorded_birth,
    recorded_name,
    source_random,
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


def _us_date(value: date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def write_legal_aid(
    world: DrawnWorld,
    column: int,
    spec: SourceSpec,
    out_dir: Path,
    progress: ProgressCallback | None,
) -> SourceOutput:
    """Write ``<key>/intake_log.csv`` and return the truth of every row."""
    rnd = source_random(world.config.seed, spec.key)
    plan = plan_records(world, column, spec, rnd)
    folder = out_dir / spec.key
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "intake_log.csv"
    output = SourceOutput(spec.key, spec.kind, spec.organization, files=[path])
    record_ids: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row_number, planned in enumerate(plan, start=2):
            record_id = f"LA-{planned.day.year}-{row_number - 1:06d}"
            record_ids.append(record_id)
            row, encounter = _row(world, planned.person, planned.day, record_id, spec, rnd)
            writer.writerow(row)
            original = record_ids[planned.duplicate_of] if planned.duplicate_of >= 0 else ""
            output.records.append(
                SourceRecord(
                    spec.key,
                    record_id,
                    planned.person,
                    encounter,
                    original,
                    f"{spec.key}/intake_log.csv",
                    str(row_number),
                )  # fmt: skip
            )
            tick(progress, f"Writing {spec.key}", row_number - 1, len(plan))
    return output


def _row(
    world: DrawnWorld, person: int, day: date, record_id: str, spec: SourceSpec, rnd: random.Random
) -> tuple[list[object], int]:
    population, encounters = world.population, world.encounters
    unit = int(population.unit[person])
    turned_back = world.turned_back_encounters_of(person)
    last = turned_back[-1]
    name = recorded_name(world, person, spec, rnd)
    birth = recorded_birth(world, person, spec, rnd)
    nationality = str(population.units.nationality[unit])
    language = str(population.units.language[unit])
    tactics = [
        english_phrase(code)
        for code in encounters.tactics_of(last)
        if rnd.random() < world.config.tactic_recall
    ]
    fear = "Yes" if encounters.fear_expressed[last] else rnd.choice(["No", "No", "Unknown"])
    notes = "UAM" if population.age[person] < 18 and population.units.kind[unit] == 3 else ""
    identity = GENDER_IDENTITIES[int(population.gender_identity[person])]
    row: list[object] = [
        record_id,
        _us_date(day),
        name.given,
        name.surnames,
        _us_date(birth.value) if birth.precision == "day" else (birth.year or ""),
        age_on(world, person, day),
        GENDER_WORDS[GENDER_IDENTITIES.index(identity)],
        nationality_labels().get(nationality, (nationality, ""))[0],
        language_labels().get(language, (language, ""))[0],
        "N" if language in ("spa", "eng") else "Y",
        f"+52 {rnd.randint(600, 999)} {rnd.randint(100, 999)} {rnd.randint(1000, 9999)}",
        port_short_name(str(encounters.port[last])),
        _us_date(world.day(last)),
        len(turned_back),
        fear,
        "; ".join(tactics),
        int(population.units.size[unit]) - 1,
        rnd.choice(STAFF),
        notes,
    ]
    return row, last
