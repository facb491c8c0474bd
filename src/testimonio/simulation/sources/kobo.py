"""A shelter's KoboToolbox survey, exported as Kobo does it (see reference/fixtures/README.md).

``;``-delimited CSV with every value quoted, headers ``group/question``, choice *names* (not
labels) as values, each select_multiple both as one space-separated column and as one
``question/choice`` 0/1 column per choice, and Kobo's metadata columns at the end. Questions are
in Spanish. Duplicate submissions happen two ways: the same form sent twice (identical answers,
new ``_id``/``_uuid``) or the same person surveyed again weeks later.
"""

from __future__ import annotations

import csv
import random
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from testimonio.simulation.config import SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback
from testimonio.simulation.phrases import kobo_choice
from testimonio.simulation.sources.common import (
    SourceOutput,
    SourceRecord,
    age_on,
    nationality_labels,
    plan_records,
    port_short_name,
    recorded_birth,
    recorded_name,
    slug,
    source_random,
    tick,
)
from testimonio.simulation.vulnerabilities import vulnerability_flags

GENDER_CHOICES = ("hombre", "mujer", "mujer_trans", "hombre_trans", "no_binarie")
TRAVEL_CHOICES = ("solo", "pareja", "familia", "menor_no_acompanado")
METADATA = (
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_tags", "_index",
)  # fmt: skip
BORDER_TIME = timezone(timedelta(hours=-7))  # Kobo stamps start/end with the device offset
SURVEYORS = ("coordinacion_casa", "voluntaria_ana", "voluntario_luis", "voluntaria_kenia")


def outcome_choice(code: str) -> str:
    return code.split(".")[-1].lower()


def vulnerability_choice(code: str) -> str:
    return code.removeprefix("VUL.").lower().replace(".", "_")


def header(tactic_choices: list[str], vulnerability_choices: list[str]) -> list[str]:
    return [
        "start", "end", "today",
        "datos_personales/nombres", "datos_personales/apellidos",
        "datos_personales/fecha_nacimiento", "datos_personales/edad", "datos_personales/genero",
        "datos_personales/nacionalidad", "datos_personales/idioma",
        "viaje/viaja_con", "viaje/num_acompanantes",
        "intento/garita", "intento/fecha_intento", "intento/num_intentos",
        "intento/expreso_miedo", "intento/idioma_miedo", "intento/tacticas",
        *[f"intento/tacticas/{choice}" for choice in tactic_choices],
        "intento/resultado",
        "vulnerabilidades",
        *[f"vulnerabilidades/{choice}" for choice in vulnerability_choices],
        "observaciones",
        *METADATA,
    ]  # fmt: skip


def write_kobo(
    world: DrawnWorld,
    column: int,
    spec: SourceSpec,
    out_dir: Path,
    progress: ProgressCallback | None,
) -> SourceOutput:
    """Write ``<key>/kobo_export.csv`` and return the truth of every submission."""
    rnd = source_random(world.config.seed, spec.key)
    plan = plan_records(world, column, spec, rnd, max_delay_days=20)
    flags = vulnerability_flags(world.population)
    tactic_choices = [kobo_choice(code) for code in world.encounters.tactic_codes]
    vulnerability_choices = [vulnerability_choice(code) for code in flags]
    folder = out_dir / spec.key
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kobo_export.csv"
    output = SourceOutput(spec.key, spec.kind, spec.organization, files=[path])
    version = "v" + "".join(
        rnd.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(21)
    )
    answers: list[list[str]] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(header(tactic_choices, vulnerability_choices))
        for index, planned in enumerate(plan):
            resend = planned.duplicate_of >= 0 and rnd.random() < 0.5
            if resend:
                answer, encounter = answers[planned.duplicate_of], -2
            else:
                answer, encounter = _answers(world, planned.person, planned.day, spec, rnd, flags)
            answers.append(answer)
            submission_id = 100000 + index * 7 + rnd.randint(0, 6)
            writer.writerow([*answer, *_metadata(submission_id, planned.day, index, version, rnd)])
            original = (
                output.records[planned.duplicate_of].record_id if planned.duplicate_of >= 0 else ""
            )
            if encounter == -2:
                encounter = output.records[planned.duplicate_of].encounter
            output.records.append(
                SourceRecord(
                    spec.key,
                    str(submission_id),
                    planned.person,
                    encounter,
                    original,
                    f"{spec.key}/kobo_export.csv",
                    str(index + 2),
                )  # fmt: skip
            )
            tick(progress, f"Writing {spec.key}", index + 1, len(plan))
    return output


def _select_multiple(chosen: list[str], choices: list[str], answered: bool = True) -> list[str]:
    if not answered:
        return ["", *["" for _ in choices]]
    return [" ".join(chosen), *["1" if choice in chosen else "0" for choice in choices]]


def _answers(
    world: DrawnWorld, person: int, day: date, spec: SourceSpec, rnd: random.Random,
    flags: dict[str, np.ndarray],
) -> tuple[list[str], int]:  # fmt: skip
    population, encounters = world.population, world.encounters
    unit = int(population.unit[person])
    units = population.units
    turned_back = world.turned_back_encounters_of(person)
    last = turned_back[-1]
    haitian = units.nationality[unit] == "HT"
    name = recorded_name(world, person, spec, rnd, creole=bool(haitian and rnd.random() < 0.3))
    birth = recorded_birth(world, person, spec, rnd)
    clock = (rnd.randint(8, 18), rnd.randint(0, 59), rnd.randint(0, 59))
    started = datetime(day.year, day.month, day.day, *clock, tzinfo=BORDER_TIME)
    ended = started + timedelta(minutes=rnd.randint(6, 40), seconds=rnd.randint(0, 59))
    fear = bool(encounters.fear_expressed[last])
    tactics = [
        kobo_choice(code)
        for code in encounters.tactics_of(last)
        if rnd.random() < world.config.tactic_recall
    ]
    vulnerabilities = [
        vulnerability_choice(code)
        for code, flag in flags.items()
        if flag[person] and rnd.random() < 0.85
    ]
    tactic_choices = [kobo_choice(code) for code in encounters.tactic_codes]
    vulnerability_choices = [vulnerability_choice(code) for code in flags]
    nationality = str(units.nationality[unit])
    answer = [
        started.isoformat(timespec="milliseconds"),
        ended.isoformat(timespec="milliseconds"),
        day.isoformat(),
        name.given,
        name.surnames,
        birth.value.isoformat() if birth.precision == "day" and birth.value else "",
        str(age_on(world, person, day)),
        GENDER_CHOICES[int(population.gender_identity[person])],
        slug(nationality_labels().get(nationality, (nationality, nationality))[1]),
        str(units.language[unit]),
        TRAVEL_CHOICES[int(units.kind[unit])],
        str(int(units.size[unit]) - 1),
        slug(port_short_name(str(encounters.port[last]))),
        world.day(last).isoformat(),
        str(len(turned_back)),
        "si" if fear else "no",
        str(encounters.fear_language[last]) if fear else "",
        *_select_multiple(tactics, tactic_choices),
        outcome_choice(str(encounters.outcome[last])),
        *_select_multiple(vulnerabilities, vulnerability_choices),
        rnd.choice(["", "", "", "Necesita atencion medica", "Duerme en la calle", "Pide abogado"]),
    ]
    return answer, last


def _metadata(
    submission_id: int, day: date, index: int, version: str, rnd: random.Random
) -> list[str]:
    clock = (rnd.randint(18, 23), rnd.randint(0, 59), rnd.randint(0, 59))
    submitted = datetime(day.year, day.month, day.day, *clock, tzinfo=UTC)
    return [
        str(submission_id),
        str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
        submitted.strftime("%Y-%m-%dT%H:%M:%S"),
        rnd.choice(["", "", "validation_status_approved"]),
        "",
        "submitted_via_web",
        rnd.choice(SURVEYORS),
        version,
        "",
        str(index + 1),
    ]
