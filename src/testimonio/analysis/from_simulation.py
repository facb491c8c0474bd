"""A snapshot made from a simulated world's truth, so analysis can be checked without Django.

Every source holds one record per person it captured (``world.captured``); the record reports
every attempt of the person's family unit (what a documenter asks: each time you tried), each
attempt as its own encounter row, with the true port, attempt number, fear expressed (and how,
in what language) and outcome. Tactics are coded as the source recalls them: each true tactic
with probability ``config.tactic_recall`` (so several sources report the same attempt with
different codings, as in life). ``month_share`` of reports give the date only to the month,
and ``year_share`` only to the year. The linked person of a record is its true person
(perfect linkage), under a pseudonym ``P-<index>``; no name, birth date or phone is written.

What must always hold: the snapshot tables carry only schema columns, and the person of a
record is exactly the simulated person, so counts of documented people can be compared with
the truth exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from testimonio.analysis.ids import padded_ids
from testimonio.simulation import DrawnWorld
from testimonio.simulation.population import GENDER_IDENTITIES
from testimonio.simulation.truth import joined_codes
from testimonio.simulation.vulnerabilities import vulnerability_flags

AGE_BANDS = ((0, "0-11"), (12, "12-17"), (18, "18-29"), (30, "30-44"), (45, "45-59"), (60, "60+"))


@dataclass(frozen=True)
class ReportingStyle:
    """How the simulated sources write dates, and who the named plaintiffs are."""

    month_share: float = 0.0
    year_share: float = 0.0
    named_plaintiffs: int = 0  # the first documented people (by index) are marked
    seed: int = 0


def pseudonyms(index: np.ndarray) -> np.ndarray:
    return padded_ids("P-", index, 7)


def age_bands(age: np.ndarray) -> np.ndarray:
    edges = np.asarray([low for low, _ in AGE_BANDS])
    labels = np.asarray([label for _, label in AGE_BANDS], dtype=object)
    result: np.ndarray = labels[np.searchsorted(edges, age, side="right") - 1]
    return result


def _persons(world: DrawnWorld, style: ReportingStyle) -> pd.DataFrame:
    documented = np.flatnonzero(world.captured.any(axis=1))
    named = np.zeros(len(documented), dtype=bool)
    named[: style.named_plaintiffs] = True
    return pd.DataFrame({"person_id": pseudonyms(documented), "named_plaintiff": named})


def _records(world: DrawnWorld) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One record per (source, captured person); also each record's person and source column."""
    column, person = np.nonzero(world.captured.T)
    population = world.population
    unit = population.unit[person]
    gender = np.asarray([name.replace(" ", "_").replace("-", "_") for name in GENDER_IDENTITIES])
    vulnerabilities = joined_codes(
        {code: flags[person] for code, flags in vulnerability_flags(population).items()},
        len(person),
    )
    keys = np.asarray(world.source_keys, dtype=object)
    records = pd.DataFrame(
        {
            "record_id": padded_ids("R-", np.arange(len(person))),
            "person_id": pseudonyms(person),
            "source_id": keys[column],
            "nationality": population.units.nationality[unit],
            "language": population.units.language[unit],
            "gender_identity": gender[population.gender_identity[person]],
            "age_band": age_bands(population.age[person]),
            "vulnerabilities": vulnerabilities,
        }
    )
    return records, person, column


def _dates(
    days: np.ndarray, rng: np.random.Generator, style: ReportingStyle
) -> dict[str, np.ndarray]:
    draw = rng.random(len(days))
    precision = np.where(
        draw < style.year_share,
        "year",
        np.where(draw < style.year_share + style.month_share, "month", "day"),
    ).astype(object)
    year = days.astype("datetime64[Y]").astype(int) + 1970
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(int) + 1
    return {
        "date_year": year.astype("int16"),
        "date_month": pd.Series(month, dtype="Int16").where(precision != "year").array,
        "date_day": pd.Series(day, dtype="Int16").where(precision == "day").array,
        "date_precision": precision,
    }


def _encounters(
    world: DrawnWorld, records: pd.DataFrame, person: np.ndarray, style: ReportingStyle
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Every attempt of each record's person: the encounter rows and their true encounters."""
    unit = world.population.unit[person]
    starts, ends = world.encounter_starts[unit], world.encounter_ends[unit]
    counts = (ends - starts).astype(np.int64)
    row = np.repeat(np.arange(len(person)), counts)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(counts) - counts, counts)
    true = starts[row] + offset
    truth = world.encounters
    rng = np.random.default_rng([style.seed, 14])
    fear = truth.fear_expressed[true]
    frame = pd.DataFrame(
        {
            "encounter_id": padded_ids("E-", np.arange(len(row))),
            "record_id": records["record_id"].to_numpy()[row],
            "person_id": records["person_id"].to_numpy()[row],
            **_dates(truth.day[true], rng, style),
            "port": truth.port[true],
            "attempt_number": truth.attempt[true].astype("int16"),
            "fear_expressed": np.where(fear, "yes", "no").astype(object),
            "fear_mode": truth.fear_mode[true],
            "fear_language": np.where(fear, truth.fear_language[true], None),
            "outcome": truth.outcome[true],
        }
    )
    return frame, row, true


def _codings(
    world: DrawnWorld, encounters: pd.DataFrame, true: np.ndarray, style: ReportingStyle
) -> pd.DataFrame:
    truth = world.encounters
    rng = np.random.default_rng([style.seed, 15])
    told = truth.tactics[true] & (
        rng.random((len(true), len(truth.tactic_codes))) < (world.config.tactic_recall)
    )
    row, column = np.nonzero(told)
    codes = np.asarray(truth.tactic_codes, dtype=object)
    return pd.DataFrame(
        {
            "encounter_id": encounters["encounter_id"].to_numpy()[row],
            "term_code": codes[column],
            "label_en": codes[column],
            "label_es": codes[column],
        }
    )


def snapshot_tables(
    world: DrawnWorld, style: ReportingStyle | None = None
) -> dict[str, pd.DataFrame]:
    """The snapshot tables (without events) of what the world's sources would hold."""
    style = style or ReportingStyle()
    records, person, column = _records(world)
    encounters, _, true = _encounters(world, records, person, style)
    sources = pd.DataFrame(
        {
            "source_id": world.source_keys,
            "name": [spec.organization for spec in world.config.active_sources],
            "kind": [spec.kind for spec in world.config.active_sources],
        }
    )
    membership = records[["person_id", "source_id"]].drop_duplicates()
    return {
        "persons": _persons(world, style),
        "sources": sources,
        "records": records,
        "encounters": encounters,
        "codings": _codings(world, encounters, true, style),
        "list_membership": membership.reset_index(drop=True),
    }


__all__ = ["AGE_BANDS", "ReportingStyle", "age_bands", "pseudonyms", "snapshot_tables"]
