"""A partner network's shared spreadsheet: XLSX, Spanish headers, one row per documented attempt.

Volunteers type dates however they come, and Excel does the rest: real date cells, text in
DD/MM/YYYY or D/M/YY, bare serial numbers (a date cell that lost its format), day and month
swapped (Excel read 03/04/2018 as March 4th), month-year only. Names are in one cell, sometimes
"APELLIDOS, NOMBRES" or in capitals. A person appears once per attempt the network documented.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import numpy as np

from testimonio.simulation.config import SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback
from testimonio.simulation.phrases import OUTCOME_WORDS, spanish_phrase
from testimonio.simulation.sources.common import (
    SourceOutput,
    SourceRecord,
    ages_on,
    format_days,
    joined_choices,
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
    turned_back_attempts,
)
from testimonio.simulation.sources.xlsx import write_xlsx

COLUMNS = (
    "No.", "Fecha de registro", "Nombre completo", "Fecha de nacimiento", "Edad", "Sexo",
    "Nacionalidad", "Fecha del intento", "Garita", "¿Pidió asilo?", "¿Qué pasó?", "Resultado",
    "Observaciones",
)  # fmt: skip
SEX_WORDS = ("H", "M")  # hombre / mujer, as assigned at birth: the network's form has no other box
EXCEL_EPOCH = date(1899, 12, 30)


def excel_dates(values: np.ndarray, rng: np.random.Generator) -> list[object]:
    """Dates (datetime64[D], NaT for none) the way they end up in a volunteers' spreadsheet:
    a real date cell (a :class:`date`), text in several formats, a bare serial number (a date
    cell that lost its format), day and month swapped by Excel, or month-year only."""
    style = rng.random(len(values))
    days = values.astype(object).tolist()
    dmy = format_days(values, "%d/%m/%Y").tolist()
    short = [f"{day.day}/{day.month}/{day.year % 100:02d}" if day else "" for day in days]
    month_year = format_days(values, "%m-%Y").tolist()
    serial = (values - np.datetime64(EXCEL_EPOCH)).astype(np.int64).tolist()
    result: list[object] = []
    for row, day in enumerate(days):
        if day is None:
            result.append(None)
            continue
        chosen = style[row]
        if chosen < 0.45:
            result.append(day)
        elif chosen < 0.65:
            result.append(dmy[row])
        elif chosen < 0.75:
            result.append(short[row])
        elif chosen < 0.85:
            result.append(serial[row])
        elif chosen < 0.95:  # Excel (US locale) read DD/MM as MM/DD, kept the rest as text
            result.append(date(day.year, day.day, day.month) if day.day <= 12 else dmy[row])
        else:
            result.append(month_year[row])
    return result


def full_names(
    given: np.ndarray, paternal: np.ndarray, maternal: np.ndarray, rng: np.random.Generator
) -> list[str]:
    """One cell: "Nombres Apellidos", sometimes in capitals or as "APELLIDOS, NOMBRES"."""
    style = rng.random(len(given))
    names = []
    for chosen, first, father, mother in zip(style, given, paternal, maternal, strict=True):
        surnames = f"{father} {mother}".strip()
        if chosen < 0.15:
            names.append(f"{surnames}, {first}".upper())
        elif chosen < 0.30:
            names.append(f"{first} {surnames}".strip().upper())
        else:
            names.append(f"{first} {surnames}".strip())
    return names


def write_partner(
    world: DrawnWorld,
    column: int,
    spec: SourceSpec,
    out_dir: Path,
    progress: ProgressCallback | None,
) -> SourceOutput:
    """Write ``<key>/registro_intentos.xlsx`` and return the truth of every row."""
    seed = world.config.seed
    rng, rnd = source_rng(seed, spec.key), source_random(seed, spec.key)
    plan = plan_records(world, column, spec, rng, max_delay_days=10)
    tick(progress, f"Writing {spec.key}", 0, len(plan))
    folder = out_dir / spec.key
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "registro_intentos.xlsx"
    output = SourceOutput(spec.key, spec.kind, spec.organization, files=[path])
    # one row per documented attempt: each earlier turn-back with probability 0.6, the last always
    parent, encounter = turned_back_attempts(world, plan.person)
    is_last = np.ones(len(parent), dtype=bool)
    is_last[:-1] = parent[1:] != parent[:-1]
    kept = is_last | (rng.random(len(parent)) < 0.6)
    parent, encounter = parent[kept], encounter[kept]
    columns = _columns(world, plan.person[parent], encounter, spec, rng, rnd)
    write_xlsx(path, [("Registro", COLUMNS, columns)])
    first_row = np.full(len(plan), -1, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]]) if len(parent) else parent
    first_row[parent[starts]] = starts + 1
    original = np.where(plan.duplicate_of >= 0, first_row[np.maximum(plan.duplicate_of, 0)], -1)
    relative = f"{spec.key}/registro_intentos.xlsx"
    output.records = [
        SourceRecord(
            spec.key,
            str(number),
            person,
            attempt,
            str(duplicate) if duplicate > 0 else "",
            relative,
            f"Registro!{number + 1}",
        )
        for number, (person, attempt, duplicate) in enumerate(
            zip(
                plan.person[parent].tolist(),
                encounter.tolist(),
                original[parent].tolist(),
                strict=True,
            ),
            start=1,
        )
    ]
    tick(progress, f"Writing {spec.key}", len(plan), len(plan))
    return output


def _columns(
    world: DrawnWorld, persons: np.ndarray, encounter: np.ndarray, spec: SourceSpec,
    rng: np.random.Generator, rnd: random.Random,
) -> list[list[object]]:  # fmt: skip
    """Every column of the spreadsheet, in ``COLUMNS`` order, one value per row."""
    population, encounters = world.population, world.encounters
    size = len(persons)
    unit = population.unit[persons]
    day = encounters.day[encounter]
    given, paternal, maternal = recorded_names(world, persons, spec, rng, rnd)
    born, precision = recorded_births(world, persons, spec, rng)
    tactics = joined_choices(
        recalled_tactics(world, encounter, world.config.tactic_recall, rng),
        [spanish_phrase(code) for code in encounters.tactic_codes],
        ", ",
    )
    asked = np.where(
        encounters.fear_expressed[encounter],
        "Sí",
        np.asarray(["No", "No", "No sabe"], dtype=object)[rng.integers(0, 3, size)],
    )
    birth_cells = excel_dates(np.where(precision == 0, born, np.datetime64("NaT")), rng)
    years = (born.astype("datetime64[Y]").astype(np.int64) + 1970).tolist()
    births = [
        cell if known == 0 else (year if known == 1 else None)
        for cell, known, year in zip(birth_cells, precision.tolist(), years, strict=True)
    ]
    spanish = {code: labels[1] for code, labels in nationality_labels().items()}
    registered = day + rng.integers(0, 4, size).astype("timedelta64[D]")
    outcome_words = {code: words[1] for code, words in OUTCOME_WORDS.items()}
    return [
        list(range(1, size + 1)),
        excel_dates(registered, rng),
        full_names(given, paternal, maternal, rng),
        births,
        ages_on(population.birth_date[persons], day).tolist(),
        np.asarray(SEX_WORDS, dtype=object)[population.female[persons].astype(int)].tolist(),
        mapped(population.units.nationality[unit], lambda code: spanish.get(code, code)).tolist(),
        excel_dates(day, rng),
        mapped(encounters.port[encounter], port_short_name).tolist(),
        asked.tolist(),
        mapped(tactics, str.capitalize).tolist(),
        mapped(encounters.outcome[encounter], lambda code: outcome_words.get(code, "")).tolist(),
        [None] * size,
    ]
