"""What every source writer shares: which records to write, labels, and the truth of each record."""

from __future__ import annotations

import random
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from testimonio.simulation.config import SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback
from testimonio.simulation.names import NAME_GROUPS
from testimonio.simulation.noise import noisy_names, recorded_birth_precision, strip_accents
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
class Plan:
    """The records a source holds, in the order it recorded them (one entry per record)."""

    person: np.ndarray  # int64
    duplicate_of: np.ndarray  # int64: index in the plan of the record it duplicates, or -1
    day: np.ndarray  # datetime64[D]: when the organization recorded it

    def __len__(self) -> int:
        return len(self.person)


def source_random(seed: int, key: str) -> random.Random:
    """A reproducible string-level generator for one source (``random`` seeds str stably)."""
    return random.Random(f"testimonio-simulation:{seed}:{key}")


def source_rng(seed: int, key: str) -> np.random.Generator:
    """A reproducible numpy generator for one source's vectorised draws."""
    entropy = [abs(int(seed)), zlib.crc32(f"testimonio-simulation:{key}".encode())]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def plan_records(
    world: DrawnWorld,
    column: int,
    spec: SourceSpec,
    rng: np.random.Generator,
    max_delay_days: int = 45,
) -> Plan:
    """The records a source holds, in the order it recorded them, duplicates included."""
    people = np.flatnonzero(world.captured[:, column]).astype(np.int64)
    last = world.last_turned_back[people]
    end = np.datetime64(world.config.end, "D")
    base = np.where(last >= 0, world.encounters.day[np.maximum(last, 0)], end)
    day = base + rng.integers(0, max_delay_days + 1, len(people)).astype("timedelta64[D]")
    again = np.flatnonzero(rng.random(len(people)) < spec.noise.duplicate)
    later = day[again] + rng.integers(0, 121, len(again)).astype("timedelta64[D]")
    person = np.concatenate([people, people[again]])
    days = np.concatenate([day, later])
    original = np.concatenate([np.full(len(people), -1, dtype=np.int64), again])
    order = np.lexsort((np.arange(len(person)), days))
    position = np.empty(len(person), dtype=np.int64)
    position[order] = np.arange(len(person))
    duplicate_of = original[order]
    duplicated = duplicate_of >= 0
    duplicate_of[duplicated] = position[duplicate_of[duplicated]]
    return Plan(person[order], duplicate_of, days[order])


def turned_back_attempts(world: DrawnWorld, persons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every turned-back encounter of each person, in order: (row of ``persons``, encounter)."""
    turned_back, starts = world.turned_back_ranges
    counts = world.turn_backs[persons].astype(np.int64)
    parent = np.repeat(np.arange(len(persons), dtype=np.int64), counts)
    first_row = np.cumsum(counts) - counts
    offset = np.arange(len(parent), dtype=np.int64) - first_row[parent]
    unit_start = starts[world.population.unit[persons]]
    return parent, turned_back[unit_start[parent] + offset]


def recorded_names(
    world: DrawnWorld,
    persons: np.ndarray,
    spec: SourceSpec,
    rng: np.random.Generator,
    rnd: random.Random,
    creole: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(given, paternal, maternal) as the source wrote them, one per entry of ``persons``."""
    population = world.population
    return noisy_names(
        population.given_names[persons],
        population.paternal_surname[persons],
        population.maternal_surname[persons],
        spec.noise,
        rng,
        rnd,
        creole=creole,
    )


def recorded_births(
    world: DrawnWorld, persons: np.ndarray, spec: SourceSpec, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(recorded date, precision index into BIRTH_PRECISIONS) per entry of ``persons``.

    A date known to the year is recorded as 1 January of that year; unknown is NaT.
    """
    population = world.population
    true_date = population.birth_date[persons]
    precision = recorded_birth_precision(population.birth_precision[persons], spec.noise, rng)
    value = np.where(
        precision == 0,
        true_date,
        true_date.astype("datetime64[Y]").astype("datetime64[D]"),
    )
    value[precision == 2] = np.datetime64("NaT")
    return value, precision


def ages_on(born: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Age in whole years on ``day`` of people born on ``born`` (both datetime64[D])."""
    born_year, year = born.astype("datetime64[Y]"), day.astype("datetime64[Y]")
    born_month, month = born.astype("datetime64[M]"), day.astype("datetime64[M]")
    born_md = (born_month - born_year).astype(int) * 32 + (born - born_month).astype(int)
    md = (month - year).astype(int) * 32 + (day - month).astype(int)
    age: np.ndarray = (year - born_year).astype(int) - (md < born_md)
    return age


def format_days(days: np.ndarray, pattern: str) -> np.ndarray:
    """strftime over an array of datetime64[D] (NaT -> ""), formatting each distinct day once."""
    unique, inverse = np.unique(days, return_inverse=True)
    texts = np.asarray(
        ["" if np.isnat(value) else value.astype(object).strftime(pattern) for value in unique]
        + [""],
        dtype=object,
    )
    result: np.ndarray = texts[inverse.reshape(-1)]
    return result


def mapped(values: np.ndarray, function: Callable[[Any], Any]) -> np.ndarray:
    """``function`` applied to every value, computed once per distinct value."""
    unique, inverse = np.unique(values, return_inverse=True)
    result: np.ndarray = np.asarray([function(value) for value in unique] + [None], dtype=object)[
        inverse.reshape(-1)
    ]
    return result


def joined_choices(mask: np.ndarray, words: list[str], separator: str) -> np.ndarray:
    """Per row, the ``words`` of the True columns of ``mask`` joined by ``separator``."""
    if mask.shape[1] == 0:
        return np.full(mask.shape[0], "", dtype=object)
    weights = np.left_shift(np.int64(1), np.arange(mask.shape[1], dtype=np.int64))
    keys = mask.astype(np.int64) @ weights
    unique, inverse = np.unique(keys, return_inverse=True)
    texts = [
        separator.join(word for bit, word in enumerate(words) if int(key) >> bit & 1)
        for key in unique
    ]
    result: np.ndarray = np.asarray(texts + [""], dtype=object)[inverse.reshape(-1)]
    return result


def recalled_tactics(
    world: DrawnWorld, encounters: np.ndarray, recall: float, rng: np.random.Generator
) -> np.ndarray:
    """Boolean rows x tactic codes: the true tactics of each encounter the source reports."""
    true_tactics = world.encounters.tactics[encounters]
    recalled: np.ndarray = true_tactics & (rng.random(true_tactics.shape) < recall)
    return recalled


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
