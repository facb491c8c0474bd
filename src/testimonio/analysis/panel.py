"""The standard panel: figures over people and events, with intervals and provenance.

Stable figure ids (scripts and reports rely on them, see DESIGN.md):

* ``persons_turned_away``: persons turned away at least once, of persons with an event.
* ``persons_turned_away_repeatedly``: turned away two or more times, of persons turned away.
* ``persons_fear_expressed_then_turned_away``: of persons who said they feared return at an
  event, those turned away at such an event.
* ``tactic:<CODE>``: of persons turned away, those who met the tactic at an event where they
  were turned away.
* ``encounters_turned_away``: events with a turn-back outcome, of events with a known outcome.

A breakdown by an event field (``port``, ``month``, ``quarter``, ``year``) counts, in each
group, the persons and events of the group's events only; by a person field (``nationality``,
``language``, ``gender_identity``, ``age_band``, ``child``, ``vulnerability``), the persons of
the group. Intervals follow :mod:`testimonio.analysis.intervals`. A group where a denominator
is empty gives a figure without a share and a note saying so, never a zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from testimonio.analysis.data import PERSON_ATTRIBUTES, AnalysisData
from testimonio.analysis.intervals import LEVEL, share_intervals
from testimonio.errors import InputError

EVENT_FIELDS = ("port", "month", "quarter", "year")
PERSON_FIELDS = (*PERSON_ATTRIBUTES, "child", "vulnerability")
BY_FIELDS = EVENT_FIELDS + PERSON_FIELDS
PERSON_FIGURES = (
    "persons_turned_away",
    "persons_turned_away_repeatedly",
    "persons_fear_expressed_then_turned_away",
)
EVENT_FIGURE = "encounters_turned_away"
#: figure id -> (count column, denominator column, what the denominator is) of the counts table
DEFINITIONS: dict[str, tuple[str, str, str]] = {
    "persons_turned_away": ("turned_persons", "persons", "persons with an event"),
    "persons_turned_away_repeatedly": ("repeated", "turned_persons", "persons turned away"),
    "persons_fear_expressed_then_turned_away": (
        "fear_turned_persons", "fear_persons", "persons who expressed fear at an event",
    ),
    EVENT_FIGURE: ("events_turned", "events_known", "events with a known outcome"),
}  # fmt: skip


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: the snapshot, the filter, and (on demand) the ids behind it."""

    snapshot_sha256: str
    filter: str
    resolve: Callable[[], tuple[list[str], list[str]]] = field(repr=False, compare=False)

    def person_ids(self) -> list[str]:
        return self.resolve()[0]

    def event_ids(self) -> list[str]:
        return self.resolve()[1]


@dataclass(frozen=True)
class Figure:
    id: str
    by: Mapping[str, str]
    count: int
    denominator: int
    share: float | None
    lower: float | None
    upper: float | None
    level: float
    method: str
    unit: str  # persons or events
    provenance: Provenance
    note: str = ""

    def row(self) -> dict[str, Any]:
        """The ``--json`` row (see DESIGN.md: analyze)."""
        return {
            "id": self.id, "by": dict(self.by), "count": self.count,
            "denominator": self.denominator, "share": self.share, "lower": self.lower,
            "upper": self.upper, "level": self.level, "method": self.method, "unit": self.unit,
            "note": self.note,
        }  # fmt: skip


def figure_rows(figures: Iterable[Figure]) -> list[dict[str, Any]]:
    return [figure.row() for figure in figures]


def _event_columns(data: AnalysisData) -> dict[str, np.ndarray]:
    """Per event (booleans): turned away, fear, fear and turned away, and each tactic met
    where turned away (computed once per data)."""
    cached: dict[str, np.ndarray] | None = data.cache.get("event_columns")
    if cached is not None:
        return cached
    events = data.events
    turned = events["turned"].to_numpy().astype(bool)
    fear = events["fear"].to_numpy().astype(bool)
    columns = {"turned": turned, "fear": fear, "fear_turned": fear & turned}
    for index, code in enumerate(data.tactic_codes):
        columns[f"tactic:{code}"] = data.tactics[:, index] & turned
    data.cache["event_columns"] = columns
    return columns


def group_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(integer code per row, sorted labels): a categorical's own codes, else factorized."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), np.asarray(values.cat.categories)
    codes, labels = pd.factorize(values, sort=True)
    return codes.astype(np.int64), np.asarray(labels)


def count_by(
    codes: np.ndarray, columns: Mapping[str, np.ndarray], groups: int
) -> dict[str, np.ndarray]:
    """Each column's sum per group: a ``bincount`` of the true rows' codes for booleans (no
    weights), weighted for numbers. Measured faster than one sparse product over all columns
    stacked, or one bincount over combined codes (docs/benchmarks/analysis.md)."""
    sums = {}
    for name, values in columns.items():
        if values.dtype == bool:
            counted = np.bincount(codes[values], minlength=groups)
        else:
            counted = np.bincount(codes, weights=values, minlength=groups)
        sums[name] = counted.astype(np.int64, copy=False)
    return sums


def sum_by(
    columns: Mapping[str, np.ndarray], codes: np.ndarray, labels: np.ndarray
) -> pd.DataFrame:
    """Column sums per group present (much faster than a groupby on strings)."""
    present = np.bincount(codes, minlength=len(labels)) > 0
    sums = {name: values[present] for name, values in count_by(codes, columns, len(labels)).items()}
    return pd.DataFrame(sums, index=pd.Index(labels[present]))


PersonSums = tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]


def _person_sums(data: AnalysisData, event_field: str | None = None) -> PersonSums:
    """(sums per person and group, each row's person, each row's group code, group labels).

    Rows are the (group, person) pairs with an event; the whole-project sums (by person
    alone, in person order) are computed once per data and shared: do not change them.
    """
    person = data.events["person"].to_numpy().astype(np.int64)
    persons = len(data.persons)
    if event_field is None:  # persons are small integers: bincount, no sort
        cached: PersonSums | None = data.cache.get("person_sums")
        if cached is None:
            unique = np.flatnonzero(np.bincount(person, minlength=persons))
            sums = {
                name: values[unique]
                for name, values in count_by(person, _event_columns(data), persons).items()
            }
            cached = (sums, unique, np.zeros(len(unique), np.int64), np.asarray([""]))
            data.cache["person_sums"] = cached
        return cached
    codes, labels = group_codes(data.events[event_field])
    inverse, unique = pd.factorize(codes * persons + person)  # hashed: no sort needed
    sums = count_by(inverse.astype(np.int64), _event_columns(data), len(unique))
    return sums, unique % persons, unique // persons, labels


def person_level(
    data: AnalysisData, event_field: str | None = None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One row per person (and event group): turn-backs and how often each experience happened.

    Returns the table (indexed by person row), each row's group code and the group labels.
    """
    sums, rows, codes, labels = _person_sums(data, event_field)
    return pd.DataFrame(sums, index=pd.Index(rows)), codes, labels


def _person_flags(sums: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per row of ``sums``: counted, turned away, repeatedly, fear, fear then turned, tactics."""
    turned = sums["turned"]
    columns = {
        "persons": np.ones(len(turned), dtype=np.int64),
        "turned_persons": turned >= 1,
        "repeated": turned >= 2,
        "fear_persons": sums["fear"] > 0,
        "fear_turned_persons": sums["fear_turned"] > 0,
    }
    for column, values in sums.items():
        if column.startswith("tactic:"):
            columns[column] = values > 0
    return columns


def _counts(sums: Mapping[str, np.ndarray], codes: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
    return sum_by(_person_flags(sums), codes, labels)


def _event_counts(
    data: AnalysisData, codes: np.ndarray, labels: np.ndarray, mask: np.ndarray | None = None
) -> pd.DataFrame:
    events = data.events
    keep = np.ones(len(events), dtype=bool) if mask is None else mask
    columns = {
        "events_turned": events["turned"].to_numpy().astype(bool)[keep],
        "events_known": events["outcome_known"].to_numpy().astype(bool)[keep],
    }
    return sum_by(columns, codes[keep], labels)


def counts_table(data: AnalysisData, by: str | None = None) -> pd.DataFrame:
    """Counts per group of ``by`` (one group ``""`` for the whole project)."""
    if by is not None and by not in BY_FIELDS:
        raise InputError(f"cannot break down by {by!r}; choose one of {', '.join(BY_FIELDS)}")
    if by in EVENT_FIELDS:
        sums, _, codes, labels = _person_sums(data, by)
        events = _event_counts(data, *group_codes(data.events[by]))
        return _counts(sums, codes, labels).join(events, how="outer")
    sums, person_rows, _, _ = _person_sums(data)
    event_person = data.events["person"].to_numpy()
    if by is None:
        whole = np.asarray([""])
        persons = _counts(sums, np.zeros(len(person_rows), dtype=np.int64), whole)
        return persons.join(_event_counts(data, np.zeros(len(event_person), np.int64), whole))
    if by == "vulnerability":
        return _vulnerability_counts(data, sums, person_rows, event_person)
    codes, labels = group_codes(data.persons[by])
    persons = _counts(sums, codes[person_rows], labels)
    return persons.join(_event_counts(data, codes[event_person], labels), how="outer")


def _vulnerability_counts(
    data: AnalysisData,
    sums: Mapping[str, np.ndarray],
    person_rows: np.ndarray,
    event_person: np.ndarray,
) -> pd.DataFrame:
    """One row per vulnerability code with anyone flagged (groups overlap: a person can be in
    several), counted with one AND per code and column over the whole-project flags."""
    flags = _person_flags(sums)
    turned = data.events["turned"].to_numpy().astype(bool)
    known = data.events["outcome_known"].to_numpy().astype(bool)
    rows = []
    for code in data.vulnerabilities.columns:
        flag = data.vulnerabilities[code].to_numpy()
        flagged = flag[person_rows]
        if not flagged.any():
            continue
        row = {
            name: int(np.count_nonzero(flagged if values.dtype != bool else values & flagged))
            for name, values in flags.items()
        }
        at = flag[event_person]
        row["events_turned"] = int(np.count_nonzero(turned & at))
        row["events_known"] = int(np.count_nonzero(known & at))
        rows.append(pd.DataFrame(row, index=pd.Index(np.asarray([code]))))
    return pd.concat(rows) if rows else pd.DataFrame()


def _filter_text(figure_id: str, by: Mapping[str, str]) -> str:
    count, denominator, described = DEFINITIONS.get(
        figure_id, ("tactic", "turned_persons", "persons turned away")
    )
    where = " and ".join(f"{key} = {value!r}" for key, value in by.items())
    scope = f" where {where}" if where else ""
    return f"{figure_id}: {count} of {described}{scope}"


def figures_from_counts(
    data: AnalysisData, table: pd.DataFrame, by: str | None, behind: Callable[..., Any]
) -> list[Figure]:
    """Every figure of every group of a counts table.

    The intervals of all figures of the table come from one call of
    :func:`~testimonio.analysis.intervals.share_intervals` over the figures' counts laid end
    to end (it works value by value, so a figure's interval is the one it would get alone;
    one call instead of one per figure saves most of scipy's per-call overhead).
    """
    ids = [*PERSON_FIGURES, *(f"tactic:{code}" for code in data.tactic_codes), EVENT_FIGURE]
    definitions = [
        DEFINITIONS.get(figure_id, (figure_id, "turned_persons", "persons turned away"))
        for figure_id in ids
    ]
    counts = table.fillna(0)
    count = np.concatenate(
        [counts[column].to_numpy(dtype=np.int64) for column, _, _ in definitions]
    )
    denominator = np.concatenate(
        [counts[column].to_numpy(dtype=np.int64) for _, column, _ in definitions]
    )
    share, lower, upper, method = share_intervals(count, denominator)
    groups = [{} if by is None else {by: str(group)} for group in table.index]
    figures = []
    position = 0
    for figure_id, (_, _, described) in zip(ids, definitions, strict=True):
        unit = "events" if figure_id == EVENT_FIGURE else "persons"
        for scope in groups:
            empty = denominator[position] == 0
            figures.append(
                Figure(
                    id=figure_id, by=dict(scope), count=int(count[position]),
                    denominator=int(denominator[position]),
                    share=None if empty else float(share[position]),
                    lower=None if empty else float(lower[position]),
                    upper=None if empty else float(upper[position]),
                    level=LEVEL, method="" if empty else str(method[position]),
                    unit=unit,
                    provenance=Provenance(
                        data.snapshot_sha256, _filter_text(figure_id, scope),
                        _resolver(behind, data, figure_id, scope),
                    ),
                    note=f"no one in this group: no {described}" if empty else "",
                )
            )  # fmt: skip
            position += 1
    return figures


def _resolver(
    behind: Callable[..., Any], data: AnalysisData, figure_id: str, scope: Mapping[str, str]
) -> Callable[[], tuple[list[str], list[str]]]:
    return lambda: behind(data, figure_id, scope)


def standard_panel(
    data: AnalysisData, by: Iterable[str] = (), where: Mapping[str, str] | None = None
) -> list[Figure]:
    """The panel for the whole project (or the stratum ``where``), then per ``by`` field."""
    from testimonio.analysis.provenance import behind, restrict

    if where:
        data = restrict(data, where)
    figures = figures_from_counts(data, counts_table(data), None, behind)
    for field_name in by:
        table = counts_table(data, field_name)
        figures.extend(figures_from_counts(data, table, field_name, behind))
    return figures


__all__ = [
    "BY_FIELDS",
    "DEFINITIONS",
    "EVENT_FIELDS",
    "Figure",
    "PERSON_FIELDS",
    "PERSON_FIGURES",
    "Provenance",
    "counts_table",
    "figure_rows",
    "person_level",
    "standard_panel",
]
