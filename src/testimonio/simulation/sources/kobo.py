"""A shelter's KoboToolbox survey, exported as Kobo does it (see reference/fixtures/README.md).

``;``-delimited CSV with every value quoted, headers ``group/question``, choice *names* (not
labels) as values, each select_multiple both as one space-separated column and as one
``question/choice`` 0/1 column per choice, and Kobo's metadata columns at the end. Questions are
in Spanish. Duplicate submissions happen two ways: the same form sent twice (identical answers,
new ``_id``/``_uuid``) or the same person surveyed again weeks later. With
``kobo_hxl_tags`` the CSV has Kobo's optional second row of HXL hashtags.

The XLSX export is the one Kobo makes of a form with a repeat group: a main sheet with the same
columns as the CSV, and an ``intentos`` sheet with one row per turn-back the person told (the last
one is the ``intento/`` group of the main sheet), joined by ``_index`` (main) =
``_parent_index`` (repeat). Kobo's CSV export leaves repeat groups out.
"""

from __future__ import annotations

import csv
import random
import uuid
from pathlib import Path

import numpy as np

from testimonio.simulation.config import SourceSpec
from testimonio.simulation.draw import DrawnWorld, ProgressCallback
from testimonio.simulation.phrases import kobo_choice
from testimonio.simulation.sources.common import (
    Plan,
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
    slug,
    source_random,
    source_rng,
    tick,
    turned_back_attempts,
)
from testimonio.simulation.sources.xlsx import write_xlsx
from testimonio.simulation.vulnerabilities import vulnerability_flags

GENDER_CHOICES = ("hombre", "mujer", "mujer_trans", "hombre_trans", "no_binarie")
TRAVEL_CHOICES = ("solo", "pareja", "familia", "menor_no_acompanado")
METADATA = (
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_tags", "_index",
)  # fmt: skip
SURVEYORS = ("coordinacion_casa", "voluntaria_ana", "voluntario_luis", "voluntaria_kenia")
OBSERVATIONS = ("", "", "", "Necesita atencion medica", "Duerme en la calle", "Pide abogado")
VERSION_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: The XLSX export names its main sheet after the form and each repeat sheet after its group.
FORM_TITLE = "Encuesta albergue"
REPEAT_GROUP = "intentos"
REPEAT_METADATA = (
    "_index", "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid",
    "_submission__submission_time", "_submission__validation_status", "_submission__notes",
    "_submission__status", "_submission__submitted_by", "_submission___version__",
    "_submission__tags",
)  # fmt: skip
HXL_TAGS = {
    "start": "#date+start", "end": "#date+end", "today": "#date+reported",
    "datos_personales/nombres": "#beneficiary+name+given",
    "datos_personales/apellidos": "#beneficiary+name+family",
    "datos_personales/fecha_nacimiento": "#date+birth",
    "datos_personales/edad": "#beneficiary+age", "datos_personales/genero": "#beneficiary+gender",
    "datos_personales/nacionalidad": "#country+origin", "datos_personales/idioma": "#language",
    "viaje/viaja_con": "#group+travel", "viaje/num_acompanantes": "#group+companions+num",
    "intento/garita": "#loc+port", "intento/fecha_intento": "#date+attempt",
    "intento/num_intentos": "#indicator+attempts+num", "intento/expreso_miedo": "#indicator+fear",
    "intento/idioma_miedo": "#language+fear", "intento/tacticas": "#indicator+tactics",
    "intento/resultado": "#status+outcome", "vulnerabilidades": "#beneficiary+vulnerable",
    "observaciones": "#description+notes", "_id": "#meta+id", "_uuid": "#meta+uuid",
    "_submission_time": "#date+submitted", "_index": "#meta+index",
}  # fmt: skip


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


def hxl_row(columns: list[str]) -> list[str]:
    """The optional second row of HXL hashtags Kobo exports when the form defines them."""
    return [HXL_TAGS.get(column, "") for column in columns]


def write_kobo(
    world: DrawnWorld,
    column: int,
    spec: SourceSpec,
    out_dir: Path,
    progress: ProgressCallback | None,
) -> SourceOutput:
    """Write ``<key>/kobo_export.csv`` and ``<key>/kobo_export.xlsx`` (main sheet plus one sheet
    for the ``intentos`` repeat group, joined by ``_index``/``_parent_index``) and return the
    truth of every submission."""
    seed = world.config.seed
    rng, rnd = source_rng(seed, spec.key), source_random(seed, spec.key)
    plan = plan_records(world, column, spec, rng, max_delay_days=20)
    tick(progress, f"Writing {spec.key}", 0, len(plan))
    flags = vulnerability_flags(world.population)
    tactic_choices = [kobo_choice(code) for code in world.encounters.tactic_codes]
    vulnerability_choices = [vulnerability_choice(code) for code in flags]
    folder = out_dir / spec.key
    folder.mkdir(parents=True, exist_ok=True)
    path, workbook_path = folder / "kobo_export.csv", folder / "kobo_export.xlsx"
    output = SourceOutput(spec.key, spec.kind, spec.organization, files=[path, workbook_path])
    version = "v" + "".join(rnd.choice(VERSION_ALPHABET) for _ in range(21))
    size = len(plan)
    # the same form sent twice: identical answers (and attempts), new _id/_uuid
    resend = (plan.duplicate_of >= 0) & (rng.random(size) < 0.5)
    answered_by = np.where(resend, plan.duplicate_of, np.arange(size))
    parent, attempt = turned_back_attempts(world, plan.person)
    counts = world.turn_backs[plan.person].astype(np.int64)
    first = np.cumsum(counts) - counts
    offset = np.arange(len(parent)) - first[parent]
    told = recalled_tactics(world, attempt, world.config.tactic_recall, rng)
    told = told[first[answered_by[parent]] + offset]
    answers = _answers(world, plan, spec, rng, rnd, flags, told[first + counts - 1])
    answers = [[values[row] for row in answered_by.tolist()] for values in answers]
    submission_ids = (100000 + np.arange(size) * 7 + rng.integers(0, 7, size)).tolist()
    metadata = _metadata(plan, submission_ids, version, rng)
    columns = header(tactic_choices, vulnerability_choices)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(columns)
        if world.config.kobo_hxl_tags:
            writer.writerow(hxl_row(columns))
        writer.writerows(zip(*answers, *metadata, strict=True))
    repeat = _attempt_rows(world, attempt, told, parent, metadata)
    write_xlsx(
        workbook_path,
        [
            (FORM_TITLE, columns, [*answers, *metadata]),
            (REPEAT_GROUP, repeat_header(tactic_choices), repeat),
        ],
    )
    first_row = 2 + int(world.config.kobo_hxl_tags)
    encounters = world.last_turned_back[plan.person].tolist()
    output.records = [
        SourceRecord(
            spec.key,
            str(submission),
            person,
            encounter,
            str(submission_ids[original]) if original >= 0 else "",
            f"{spec.key}/kobo_export.csv",
            str(index + first_row),
        )
        for index, (submission, person, encounter, original) in enumerate(
            zip(
                submission_ids,
                plan.person.tolist(),
                encounters,
                plan.duplicate_of.tolist(),
                strict=True,
            )
        )
    ]
    tick(progress, f"Writing {spec.key}", size, size)
    return output


def repeat_header(tactic_choices: list[str]) -> list[str]:
    return [
        "intentos/garita", "intentos/fecha", "intentos/expreso_miedo", "intentos/idioma_miedo",
        "intentos/tacticas", *[f"intentos/tacticas/{choice}" for choice in tactic_choices],
        "intentos/resultado", *REPEAT_METADATA,
    ]  # fmt: skip


def _binary_columns(mask: np.ndarray) -> list[list[int]]:
    return [column.tolist() for column in mask.astype(np.int8).T]


def _attempt_rows(
    world: DrawnWorld, attempt: np.ndarray, told: np.ndarray, parent: np.ndarray,
    metadata: list[list[object]],
) -> list[list[object]]:  # fmt: skip
    """The ``intentos`` repeat sheet: every turn-back the person told, one row each."""
    encounters = world.encounters
    fear = encounters.fear_expressed[attempt]
    tactic_choices = [kobo_choice(code) for code in encounters.tactic_codes]
    parents = parent.tolist()
    submission = {name: values for name, values in zip(METADATA, metadata, strict=True)}
    return [
        mapped(encounters.port[attempt], lambda code: slug(port_short_name(code))).tolist(),
        format_days(encounters.day[attempt], "%Y-%m-%d").tolist(),
        np.where(fear, "si", "no").tolist(),
        np.where(fear, encounters.fear_language[attempt], "").tolist(),
        joined_choices(told, tactic_choices, " ").tolist(),
        *_binary_columns(told),
        mapped(encounters.outcome[attempt], outcome_choice).tolist(),
        list(range(1, len(parents) + 1)),
        [FORM_TITLE] * len(parents),
        [submission["_index"][row] for row in parents],
        *[
            [submission[name][row] for row in parents]
            for name in (
                "_id",
                "_uuid",
                "_submission_time",
                "_validation_status",
                "_notes",
                "_status",
                "_submitted_by",
                "__version__",
                "_tags",
            )
        ],  # fmt: skip
    ]


def _answers(
    world: DrawnWorld, plan: Plan, spec: SourceSpec, rng: np.random.Generator,
    rnd: random.Random, flags: dict[str, np.ndarray], told: np.ndarray,
) -> list[list[object]]:  # fmt: skip
    """Every answer column of the main sheet, one value per submission (before resends)."""
    population, encounters = world.population, world.encounters
    units = population.units
    persons, size = plan.person, len(plan)
    unit = population.unit[persons]
    last = world.last_turned_back[persons]
    haitian = units.nationality[unit] == "HT"
    given, paternal, maternal = recorded_names(
        world, persons, spec, rng, rnd, creole=haitian & (rng.random(size) < 0.3)
    )
    born, precision = recorded_births(world, persons, spec, rng)
    clock = rng.integers([8, 0, 0], [19, 60, 60], (size, 3)) @ np.array([3600, 60, 1])
    started = plan.day.astype("datetime64[s]") + clock.astype("timedelta64[s]")
    took = rng.integers([6, 0], [41, 60], (size, 2)) @ np.array([60, 1])
    ended = started + took.astype("timedelta64[s]")
    fear = encounters.fear_expressed[last]
    vulnerable = np.column_stack([flag[persons] for flag in flags.values()])
    vulnerable &= rng.random(vulnerable.shape) < 0.85
    tactic_choices = [kobo_choice(code) for code in encounters.tactic_codes]
    vulnerability_choices = [vulnerability_choice(code) for code in flags]
    spanish = {code: labels[1] for code, labels in nationality_labels().items()}
    notes = np.asarray(OBSERVATIONS, dtype=object)[rng.integers(0, len(OBSERVATIONS), size)]
    return [
        _kobo_times(started),
        _kobo_times(ended),
        format_days(plan.day, "%Y-%m-%d").tolist(),
        given.tolist(),
        [f"{p} {m}".strip() for p, m in zip(paternal, maternal, strict=True)],
        np.where(precision == 0, format_days(born, "%Y-%m-%d"), "").tolist(),
        ages_on(population.birth_date[persons], plan.day).tolist(),
        np.asarray(GENDER_CHOICES, dtype=object)[population.gender_identity[persons]].tolist(),
        mapped(units.nationality[unit], lambda code: slug(spanish.get(code, code))).tolist(),
        units.language[unit].tolist(),
        np.asarray(TRAVEL_CHOICES, dtype=object)[units.kind[unit]].tolist(),
        (units.size[unit] - 1).tolist(),
        mapped(encounters.port[last], lambda code: slug(port_short_name(code))).tolist(),
        format_days(encounters.day[last], "%Y-%m-%d").tolist(),
        world.turn_backs[persons].tolist(),
        np.where(fear, "si", "no").tolist(),
        np.where(fear, encounters.fear_language[last], "").tolist(),
        joined_choices(told, tactic_choices, " ").tolist(),
        *_binary_columns(told),
        mapped(encounters.outcome[last], outcome_choice).tolist(),
        joined_choices(vulnerable, vulnerability_choices, " ").tolist(),
        *_binary_columns(vulnerable),
        notes.tolist(),
    ]


def _kobo_times(moments: np.ndarray) -> list[str]:
    """Device times as Kobo exports them: ISO 8601 with milliseconds and the UTC offset."""
    texts = np.datetime_as_string(moments.astype("datetime64[ms]"), unit="ms")
    return [f"{text}-07:00" for text in texts.tolist()]


def _metadata(
    plan: Plan, submission_ids: list[int], version: str, rng: np.random.Generator
) -> list[list[object]]:
    """Kobo's metadata columns (``METADATA`` order), fresh for every submission."""
    size = len(plan)
    raw = rng.bytes(16 * size)
    uuids = [str(uuid.UUID(bytes=raw[at : at + 16], version=4)) for at in range(0, 16 * size, 16)]
    clock = rng.integers([18, 0, 0], [24, 60, 60], (size, 3)) @ np.array([3600, 60, 1])
    submitted = plan.day.astype("datetime64[s]") + clock.astype("timedelta64[s]")
    validation = np.asarray(["", "", "validation_status_approved"], dtype=object)
    return [
        submission_ids,
        uuids,
        np.datetime_as_string(submitted, unit="s").tolist(),
        validation[rng.integers(0, 3, size)].tolist(),
        [""] * size,
        ["submitted_via_web"] * size,
        np.asarray(SURVEYORS, dtype=object)[rng.integers(0, len(SURVEYORS), size)].tolist(),
        [version] * size,
        [""] * size,
        list(range(1, size + 1)),
    ]
