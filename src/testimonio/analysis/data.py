"""What the panel counts, prepared once from a snapshot: persons, their events, tactics per event.

A person's attributes come from their records: the most frequent known value across the
records (sources disagree now and then; ``unknown`` and empty values never win), and a
vulnerability belongs to the person if any record lists it. Events come from the snapshot's
``events`` table when it has one, otherwise they are resolved here
(:func:`~testimonio.analysis.events.resolve_events`). A tactic is met at an event when any
report of it is coded with the tactic (the "any source" rule, stated in docs/methods.md).

What must always hold: persons and events are counted, never reports; an empty snapshot or
one never linked is an :class:`~testimonio.errors.EstimationError` with a message saying
what to do, never a table of zeros.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from testimonio.analysis.events import resolve_events
from testimonio.analysis.snapshot import Snapshot, to_frame
from testimonio.errors import EstimationError

PERSON_ATTRIBUTES = ("nationality", "language", "gender_identity", "age_band")
CHILD_BANDS = ("0-11", "12-17")


@dataclass
class AnalysisData:
    """Persons (one row each) and events (one row each, ``person`` = row of ``persons``)."""

    snapshot_sha256: str
    persons: pd.DataFrame
    vulnerabilities: pd.DataFrame  # bool, persons x VUL codes
    events: pd.DataFrame
    tactic_codes: tuple[str, ...]
    tactics: np.ndarray  # bool, events x tactic_codes
    conflicts: dict[str, int]


def _persons(snapshot: Snapshot) -> pd.DataFrame:
    known = {
        column: f"mode({column}) FILTER (WHERE {column} IS NOT NULL AND {column} <> '' "
        f"AND {column} <> 'unknown') AS {column}"
        for column in PERSON_ATTRIBUTES
    }
    relation = snapshot.sql(
        f"""SELECT p.person_id, p.named_plaintiff, {", ".join(known.values())}
            FROM persons p LEFT JOIN records r USING (person_id)
            GROUP BY p.person_id, p.named_plaintiff ORDER BY p.person_id"""  # noqa: S608 (schema columns)
    )
    persons = to_frame(relation)
    for column in PERSON_ATTRIBUTES:
        persons[column] = persons[column].fillna("unknown")
    persons["child"] = np.where(
        persons["age_band"].isin(CHILD_BANDS),
        "child",
        np.where(persons["age_band"] == "unknown", "unknown", "adult"),
    )
    for column in (*PERSON_ATTRIBUTES, "child"):  # grouped often: integer codes are fast
        persons[column] = persons[column].astype("category")
    return persons


def _vulnerabilities(snapshot: Snapshot, persons: pd.DataFrame) -> pd.DataFrame:
    relation = snapshot.sql(
        """SELECT DISTINCT person_id, code FROM (
               SELECT person_id, unnest(string_split(vulnerabilities, ' ')) AS code
               FROM records WHERE person_id IS NOT NULL AND vulnerabilities <> '')
           WHERE code <> ''"""
    )
    pairs = to_frame(relation)
    row = pd.Index(persons["person_id"]).get_indexer(pairs["person_id"])
    codes = sorted(pairs["code"].unique())
    flags = np.zeros((len(persons), len(codes)), dtype=bool)
    flags[row[row >= 0], pd.Index(codes).get_indexer(pairs["code"][row >= 0])] = True
    return pd.DataFrame(flags, columns=codes)


def _events(snapshot: Snapshot) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    if snapshot.has("events") and snapshot.has("event_reports"):
        events = to_frame(snapshot.sql("SELECT * FROM events ORDER BY event_id"))
        reports = pd.DataFrame()  # joined in DuckDB where they are (see _event_tactics)
    else:
        resolution = resolve_events(snapshot.frame("encounters"), snapshot.frame("records"))
        events, reports = resolution.events, resolution.event_reports
    conflicts = {
        "fear_expressed": int(events["fear_conflict"].sum()),
        "turned_away": int(events["outcome_conflict"].sum()),
    }
    return events, reports, conflicts


STORED_TACTICS = """
    SELECT DISTINCT p.position, c.term_code FROM event_reports r
    JOIN codings c USING (encounter_id)
    JOIN (SELECT event_id, row_number() OVER (ORDER BY event_id) - 1 AS position FROM events) p
    USING (event_id) WHERE c.term_code LIKE 'TAC.%'
"""
RESOLVED_TACTICS = """
    SELECT DISTINCT p.position, c.term_code FROM event_reports_resolved r
    JOIN codings c USING (encounter_id) JOIN event_positions p USING (event_id)
    WHERE c.term_code LIKE 'TAC.%'
"""


def _event_tactics(
    snapshot: Snapshot, events: pd.DataFrame, reports: pd.DataFrame
) -> tuple[tuple[str, ...], np.ndarray]:
    """Which tactics each event met, joined in DuckDB and returned as integer positions."""
    connection = snapshot.connection
    stored = reports.empty  # the snapshot holds its events: join there, positions by event_id
    if not stored:
        positions = pd.DataFrame(
            {"event_id": events["event_id"], "position": np.arange(len(events))}
        )
        connection.register("event_reports_resolved", reports[["event_id", "encounter_id"]])
        connection.register("event_positions", positions)
    pairs = connection.sql(STORED_TACTICS if stored else RESOLVED_TACTICS)
    codes = tuple(sorted(row[0] for row in pairs.select("term_code").distinct().fetchall()))
    rank = {code: index for index, code in enumerate(codes)}
    found = pairs.fetchnumpy()
    if not stored:
        connection.unregister("event_reports_resolved")
        connection.unregister("event_positions")
    flags = np.zeros((len(events), len(codes)), dtype=bool)
    column = pd.Series(found["term_code"]).map(rank).to_numpy(dtype=np.int64)
    flags[np.asarray(found["position"], dtype=np.int64), column] = True
    return codes, flags


def _periods(months: np.ndarray, known: np.ndarray, width: int) -> pd.Categorical[str]:
    """Period labels (month ``2018-06``, quarter ``2018-Q2``, year ``2018``) as a categorical,
    formatting each distinct period once; ``unknown`` where the date is not that precise."""
    period = months // width
    present = np.unique(period[known])
    labels = [
        f"{1970 + value * width // 12}" + (
            f"-{value % 12 + 1:02d}" if width == 1 else f"-Q{value % 4 + 1}" if width == 3 else ""
        )
        for value in present.tolist()
    ]  # fmt: skip
    codes = np.searchsorted(present, period)
    codes[~known] = len(present)
    return pd.Categorical.from_codes(codes, pd.Index([*labels, "unknown"]))


def _event_frame(events: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    precision = events["date_precision"].to_numpy()
    start = pd.to_datetime(events["date_start"]).to_numpy().astype("datetime64[M]")
    months = np.where(np.isnat(start), 0, start.astype(np.int64))
    known_month = np.isin(precision, ["day", "month"]) & ~np.isnat(start)
    known_year = (known_month | (precision == "year")) & ~np.isnat(start)
    return pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy(),
            "person": pd.Index(persons["person_id"]).get_indexer(events["person_id"]),
            "port": pd.Categorical(events["port"].fillna("unknown")),
            "month": _periods(months, known_month, 1),
            "quarter": _periods(months, known_month, 3),
            "year": _periods(months, known_year, 12),
            "turned": (events["turned_away"] == "yes").to_numpy(),
            "outcome_known": (events["turned_away"] != "unknown").to_numpy(),
            "fear": (events["fear_expressed"] == "yes").to_numpy(),
        }
    )


def analysis_data(snapshot: Snapshot) -> AnalysisData:
    """Prepare a snapshot for counting; raise if there is no one to count."""
    persons = _persons(snapshot)
    if persons.empty:
        raise EstimationError(
            "the snapshot has no persons: import records and run linkage before analysing"
        )
    events, reports, conflicts = _events(snapshot)
    if events.empty:
        raise EstimationError("the snapshot has no encounters: there is nothing to count")
    if events["person_id"].isna().all():
        raise EstimationError("no encounter belongs to a linked person: run linkage first")
    codes, tactics = _event_tactics(snapshot, events, reports)
    linked = events["person_id"].notna().to_numpy()
    events, tactics = events[linked].reset_index(drop=True), tactics[linked]
    return AnalysisData(
        snapshot_sha256=snapshot.sha256,
        persons=persons,
        vulnerabilities=_vulnerabilities(snapshot, persons),
        events=_event_frame(events, persons),
        tactic_codes=codes,
        tactics=tactics,
        conflicts=conflicts,
    )


__all__ = ["AnalysisData", "CHILD_BANDS", "PERSON_ATTRIBUTES", "analysis_data"]
