"""A partner network's shared spreadsheet: XLSX, Spanish headers, one row per documented attempt.

Volunteers type dates however they come, and Excel does the rest: real date cells, text in
DD/MM/YYYY or D/M/YY, bare serial numbers (a date cell that lost its format), day and month
swapped (Excel read 03/04/2018 as March 4th), month-year only. Names are in one cell, sometimes
"APELLIDOS, NOMBRES" or in capitals. A person appears once per attempt the network documented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from testimonio.simulation.config import SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback
from testimonio.simulation.noise import RecordedName
from testimonio.simulation.phrases import OUTCOME_WORDS, spanish_phrase
from testimonio.simulation.sources.common import (
    SourceOutput,
    SourceRecord,
    age_on,
    freeze_zip_timestamps,
    nationality_labels,
    plan_records,
    port_short_name,
    recorded_birth,
    recorded_name,
    source_random,
    tick,
)

COLUMNS = (
    "No.", "Fecha de registro", "Nombre completo", "Fecha de nacimiento", "Edad", "Sexo",
    "Nacionalidad", "Fecha del intento", "Garita", "¿Pidió asilo?", "¿Qué pasó?", "Resultado",
    "Observaciones",
)  # fmt: skip
SEX_WORDS = ("H", "M")  # hombre / mujer, as assigned at birth: the network's form has no other box
EXCEL_EPOCH = date(1899, 12, 30)


def excel_date(value: date | None, ws: WriteOnlyWorksheet, rnd: random.Random) -> object:
    """A date the way it ends up in a volunteers' spreadsheet."""
    if value is None:
        return None
    style = rnd.random()
    if style < 0.45:
        return _date_cell(ws, value)
    if style < 0.65:
        return value.strftime("%d/%m/%Y")
    if style < 0.75:
        return f"{value.day}/{value.month}/{value.strftime('%y')}"
    if style < 0.85:
        return (value - EXCEL_EPOCH).days  # a date cell that lost its number format
    if style < 0.95:
        if value.day <= 12:  # Excel (US locale) read DD/MM as MM/DD
            return _date_cell(ws, date(value.year, value.day, value.month))
        return value.strftime("%d/%m/%Y")  # ... and kept what it could not read as text
    return value.strftime("%m-%Y")


def _date_cell(ws: WriteOnlyWorksheet, value: date) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


def _full_name(name: RecordedName, rnd: random.Random) -> str:
    style = rnd.random()
    if style < 0.15:
        return f"{name.surnames}, {name.given}".upper()
    if style < 0.30:
        return name.full.upper()
    return name.full


def write_partner(
    world: DrawnWorld,
    column: int,
    spec: SourceSpec,
    out_dir: Path,
    progress: ProgressCallback | None,
) -> SourceOutput:
    """Write ``<key>/registro_intentos.xlsx`` and return the truth of every row."""
    rnd = source_random(world.config.seed, spec.key)
    plan = plan_records(world, column, spec, rnd, max_delay_days=10)
    folder = out_dir / spec.key
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "registro_intentos.xlsx"
    output = SourceOutput(spec.key, spec.kind, spec.organization, files=[path])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Registro")
    sheet.append(list(COLUMNS))
    first_row: dict[int, str] = {}
    row_number = 1
    for index, planned in enumerate(plan):
        person = planned.person
        attempts = world.turned_back_encounters_of(person)
        documented = [attempt for attempt in attempts[:-1] if rnd.random() < 0.6] + attempts[-1:]
        for encounter in documented:
            row_number += 1
            record_id = f"{row_number - 1}"
            sheet.append(_row(world, person, encounter, record_id, spec, sheet, rnd))
            original = first_row.get(planned.duplicate_of, "") if planned.duplicate_of >= 0 else ""
            first_row.setdefault(index, record_id)
            output.records.append(
                SourceRecord(
                    spec.key,
                    record_id,
                    person,
                    encounter,
                    original,
                    f"{spec.key}/registro_intentos.xlsx",
                    f"Registro!{row_number}",
                )  # fmt: skip
            )
        tick(progress, f"Writing {spec.key}", index + 1, len(plan))
    workbook.save(path)
    freeze_zip_timestamps(path)
    return output


def _row(
    world: DrawnWorld, person: int, encounter: int, record_id: str, spec: SourceSpec,
    sheet: WriteOnlyWorksheet, rnd: random.Random,
) -> list[object]:  # fmt: skip
    population, encounters = world.population, world.encounters
    unit = int(population.unit[person])
    day = world.day(encounter)
    name = recorded_name(world, person, spec, rnd)
    birth = recorded_birth(world, person, spec, rnd)
    nationality = str(population.units.nationality[unit])
    tactics = [
        spanish_phrase(code)
        for code in encounters.tactics_of(encounter)
        if rnd.random() < world.config.tactic_recall
    ]
    asked = "Sí" if encounters.fear_expressed[encounter] else rnd.choice(["No", "No", "No sabe"])
    born: object = None
    if birth.precision == "day":
        born = excel_date(birth.value, sheet, rnd)
    elif birth.precision == "year":
        born = birth.year
    return [
        int(record_id),
        excel_date(day + timedelta(days=rnd.randint(0, 3)), sheet, rnd),
        _full_name(name, rnd),
        born,
        age_on(world, person, day),
        SEX_WORDS[int(population.female[person])],
        nationality_labels().get(nationality, (nationality, nationality))[1],
        excel_date(day, sheet, rnd),
        port_short_name(str(encounters.port[encounter])),
        asked,
        ", ".join(tactics).capitalize(),
        OUTCOME_WORDS.get(str(encounters.outcome[encounter]), ("", ""))[1],
        "",
    ]
