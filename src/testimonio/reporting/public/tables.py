"""The public release's tables, counted from the analysis data: codes and months only.

Two families, each additive by construction (every unit falls in exactly one cell of a
table's finest level), each suppressed as one release of linked tables:

* **persons** turned away at least once: nationality x gender identity; age band within
  child/adult; and per tactic, whether the person met it. Every table's grand total is the
  same cell (persons turned away), which links them.
* **events**, attempts that ended in a turn-back: port x year; and month within year.
  The year margins of both tables are the same cells (one dimension ``period``).

What must always hold: no value is free text, a date is at most a month, no cell names a
person; every value is a code of the vocabulary, a port code, a band or ``unknown``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from testimonio.analysis import AnalysisData
from testimonio.analysis.panel import person_level
from testimonio.reporting.suppression import Dimension, Table

__all__ = ["PublicTable", "release_tables"]

AGE_GROUPS = {"child": ("0-11", "12-17"), "adult": ("18-29", "30-44", "45-59", "60+")}
MET, NOT_MET = "met", "not met"


@dataclass(frozen=True)
class PublicTable:
    """A table of the release with what it counts, in both languages."""

    family: str  # persons or events: the tables of one family are suppressed together
    table: Table
    title: dict[str, str]
    tactic: str = ""


def _flat(name: str, values: pd.Series) -> Dimension:
    return Dimension.flat(name, sorted({str(value) for value in values}))


def _counts(*columns: pd.Series) -> dict[tuple[str, ...], int]:
    rows = zip(*(column.astype(str).to_numpy() for column in columns), strict=True)
    return dict(Counter(rows))


def _persons_turned_away(data: AnalysisData) -> tuple[pd.DataFrame, pd.DataFrame]:
    level, _, _ = person_level(data)
    turned = level[level["turned"].to_numpy() > 0]
    persons = data.persons.iloc[turned.index.to_numpy()].reset_index(drop=True)
    return persons, turned.reset_index(drop=True)


def person_tables(data: AnalysisData, labels: dict[str, dict[str, str]]) -> list[PublicTable]:
    persons, level = _persons_turned_away(data)
    nationality = persons["nationality"].astype(str)
    gender = persons["gender_identity"].astype(str)
    tables = [
        PublicTable(
            "persons",
            Table("persons_by_nationality_gender",
                  (_flat("nationality", nationality), _flat("gender_identity", gender)),
                  _counts(nationality, gender)),
            {"en": "Persons turned away, by nationality and gender identity",
             "es": "Personas rechazadas, por nacionalidad e identidad de género"},
        ),
        PublicTable("persons", _age_table(persons),
                    {"en": "Persons turned away, by age band",
                     "es": "Personas rechazadas, por grupo de edad"}),
    ]  # fmt: skip
    for code in data.tactic_codes:
        met = pd.Series(np.where(level[f"tactic:{code}"].to_numpy() > 0, MET, NOT_MET))
        table = Table(
            f"persons_{code.lower().replace('.', '_')}",
            (Dimension.flat(code, (MET, NOT_MET)),),
            _counts(met),
        )
        label = labels.get(code, {})
        title = {
            "en": f"Persons turned away who met the tactic {label.get('en', code)}",
            "es": f"Personas rechazadas que sufrieron la táctica {label.get('es', code)}",
        }
        tables.append(PublicTable("persons", table, title, code))
    return tables


def _age_table(persons: pd.DataFrame) -> Table:
    bands = persons["age_band"].astype(str)
    present = set(bands)
    groups = {group: tuple(b for b in members if b in present)
              for group, members in AGE_GROUPS.items()}  # fmt: skip
    children: dict[str, tuple[str, ...]] = {"Total": (*groups, "unknown")}
    children.update(groups)
    dimension = Dimension("age_band", children)
    known = {band for members in AGE_GROUPS.values() for band in members}
    return Table("persons_by_age_band", (dimension,),
                 _counts(bands.where(bands.isin(known), "unknown")))  # fmt: skip


def event_tables(data: AnalysisData) -> list[PublicTable]:
    events = data.events[data.events["turned"].to_numpy()]
    port = events["port"].astype(str)
    year = events["year"].astype(str)
    month = events["month"].astype(str)
    leaf = np.where(month != "unknown", month,
                    np.where(year != "unknown", year + " (month unknown)", "unknown"))  # fmt: skip
    leaves = pd.Series(leaf, dtype=str)
    nested: dict[str, set[str]] = {}
    for year_value, leaf_value in zip(year, leaves.tolist(), strict=True):
        if year_value != "unknown":
            nested.setdefault(year_value, set()).add(leaf_value)
    children: dict[str, tuple[str, ...]] = {
        "Total": (*sorted(nested), *(("unknown",) if "unknown" in set(year) else ()))
    }
    children.update({key: tuple(sorted(values)) for key, values in nested.items()})
    return [
        PublicTable(
            "events",
            Table("turn_backs_by_port_year", (_flat("port", port), _flat("period", year)),
                  _counts(port, year)),
            {"en": "Attempts that ended in a turn-back, by port of entry and year",
             "es": "Intentos que terminaron en rechazo, por puerto de entrada y año"},
        ),
        PublicTable(
            "events",
            Table("turn_backs_by_month", (Dimension("period", children),), _counts(leaves)),
            {"en": "Attempts that ended in a turn-back, by month",
             "es": "Intentos que terminaron en rechazo, por mes"},
        ),
    ]  # fmt: skip


def release_tables(data: AnalysisData, labels: dict[str, dict[str, str]]) -> list[PublicTable]:
    return [*person_tables(data, labels), *event_tables(data)]
