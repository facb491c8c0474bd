"""What every source writer shares: which records to write, labels, and the truth of each record."""

from __future__ import annotations

import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np

from testimonio.simulation.config import SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback
from testimonio.simulation.names import NAME_GROUPS
from testimonio.simulation.noise import (
    RecordedDate,
    RecordedName,
    noisy_name,
    recorded_birth_date,
    strip_accents,
)
from testimonio.simulation.population import BIRTH_PRECISIONS
from testimonio.vocab.reference import read_table

#: Fixed timestamp stamped into zip-based files (XLSX, DOCX) so that output is reproducible.
FROZEN_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


@dataclass
class SourceRecord:
    """The truth about one written record: whose it is and which encounter it tells."""

    source: str
    record_id: str
    person: int
    encounter: int  # -1 when the record is about the person, not one attempt
    duplicate_of: str  # record_id of the first record of the same person in this list, or ""
    file: str  # relative to the output folder
    location: str  # row number, or paragraph range in a document


@dataclass
class SourceOutput:
    key: str
    kind: str
    organization: str
    files: list[Path] = field(default_factory=list)
    records: list[SourceRecord] = field(default_factory=list)
    #: documents only: (record_id, paragraph number, encounter index, tactic codes told there)
    paragraphs: list[tuple[str, int, int, str]] = field(default_factory=list)


@dataclass
class PlannedRecord:
    """One record to write: the person, and the earlier record it duplicates (if any)."""

    person: int
    duplicate_of: int  # index in the plan, or -1
    day: date  # when the organization recorded it


def source_random(seed: int, key: str) -> random.Random:
    """A reproducible string-level generator for one source (``random`` seeds str stably)."""
    return random.Random(f"testimonio-simulation:{seed}:{key}")


def plan_records(
    world: DrawnWorld, column: int, spec: SourceSpec, rnd: random.Random, max_delay_days: int = 45
) -> list[PlannedRecord]:
    """The records a source holds, in the order it recorded them, duplicates included."""
    people = np.flatnonzero(world.captured[:, column])
    plan = []
    for person in people.tolist():
        turned_back = world.turned_back_encounters_of(person)
        last = world.day(turned_back[-1]) if turned_back else world.config.end
        plan.append(
            PlannedRecord(person, -1, last + timedelta(days=rnd.randint(0, max_delay_days)))
        )
    originals = len(plan)
    for index in range(originals):
        if rnd.random() < spec.noise.duplicate:
            later = plan[index].day + timedelta(days=rnd.randint(0, 120))
            plan.append(PlannedRecord(plan[index].person, index, later))
    order = sorted(range(len(plan)), key=lambda index: (plan[index].day, index))
    position = {old: new for new, old in enumerate(order)}
    return [
        PlannedRecord(
            plan[old].person,
            position[plan[old].duplicate_of] if plan[old].duplicate_of >= 0 else -1,
            plan[old].day,
        )
        for old in order
    ]


def recorded_name(
    world: DrawnWorld, person: int, spec: SourceSpec, rnd: random.Random, creole: bool = False
) -> RecordedName:
    population = world.population
    return noisy_name(
        str(population.given_names[person]),
        str(population.paternal_surname[person]),
        str(population.maternal_surname[person]),
        spec.noise,
        rnd,
        creole=creole,
    )


def recorded_birth(
    world: DrawnWorld, person: int, spec: SourceSpec, rnd: random.Random
) -> RecordedDate:
    population = world.population
    true_date = population.birth_date[person].astype(object)
    precision = BIRTH_PRECISIONS[int(population.birth_precision[person])]
    return recorded_birth_date(true_date, precision, spec.noise, rnd)


def age_on(world: DrawnWorld, person: int, day: date) -> int:
    born = world.population.birth_date[person].astype(object)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def name_group(world: DrawnWorld, person: int) -> str:
    return str(world.population.units.name_group[world.population.unit[person]])


def surname_order_is_maternal_first(world: DrawnWorld, person: int) -> bool:
    return NAME_GROUPS[name_group(world, person)].maternal_first


@cache
def nationality_labels() -> dict[str, tuple[str, str]]:
    return {row["code"]: (row["label_en"], row["label_es"]) for row in read_table("nationalities")}


@cache
def language_labels() -> dict[str, tuple[str, str]]:
    return {
        row["code"]: (row["label_en"], row["label_es"])
        for row in read_table("languages")
        if row["code"]
    }


@cache
def ports_by_code() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_table("ports")}


def port_short_name(code: str) -> str:
    """'San Ysidro (main / PedEast)' -> 'San Ysidro': how people name a crossing."""
    return ports_by_code()[code]["name"].split(" (")[0]


def slug(text: str) -> str:
    """'Ciudad Juárez' -> 'ciudad_juarez' (a Kobo choice name)."""
    return re.sub(r"[^a-z0-9]+", "_", strip_accents(text).lower()).strip("_")


def freeze_zip_timestamps(path: Path) -> None:
    """Rewrite a zip container (XLSX, DOCX) with fixed entry times, so the same seed gives the
    same bytes."""
    with zipfile.ZipFile(path) as original:
        entries = [(info, original.read(info.filename)) for info in original.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as frozen:
        for info, content in entries:
            stable = zipfile.ZipInfo(info.filename, date_time=FROZEN_ZIP_TIME)
            stable.compress_type = zipfile.ZIP_DEFLATED
            stable.external_attr = info.external_attr
            if info.filename == "docProps/core.xml":  # openpyxl stamps "now" on every save
                content = CORE_TIMES.sub(rb"\g<1>2020-01-01T00:00:00Z\g<3>", content)
            frozen.writestr(stable, content)


def tick(progress: ProgressCallback | None, step: str, done: int, total: int) -> None:
    if progress is not None and (done % 2000 == 0 or done == total):
        progress(step, done, total)
