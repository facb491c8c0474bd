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

How it is fast (a 1,000,000-person snapshot, docs/benchmarks/analysis.md): every join, filter
and comparison runs inside DuckDB, and pandas receives only numbers, booleans and Arrow text
(ids, and labels turned into categoricals by Arrow's dictionary encoding); a person is an
integer (their row in ``persons``) everywhere after the first query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from testimonio.analysis.events import resolve_events
from testimonio.analysis.snapshot import Snapshot
from testimonio.errors import EstimationError

PERSON_ATTRIBUTES = ("nationality", "language", "gender_identity", "age_band")
CHILD_BANDS = ("0-11", "12-17")

#: Each person's row in ``persons`` (the persons frame is in ``person_id`` order too).
PERSON_ROWS = "SELECT person_id, row_number() OVER (ORDER BY person_id) - 1 AS person FROM persons"


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
    #: The person-level figures at each of the linkage run's alternative clusterings
    #: (:func:`~testimonio.analysis.linkage_sensitivity.linkage_sensitivity`), of the whole
    #: project (a stratum keeps them as they are); None when the snapshot does not carry them.
    linkage: pd.DataFrame | None = None
    #: What the panel computes once per data (per-person sums); ``dataclasses.replace``
    #: (a stratum) starts with an empty one.
    cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)


def categorical(values: pa.ChunkedArray | pa.Array) -> pd.Categorical[str]:
    """Arrow text as a pandas categorical with sorted categories (those present only),
    by Arrow's dictionary encoding: no Python object per value."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = values.dictionary_encode()
    labels = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    order = np.argsort(labels, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[encoded.indices.to_numpy(zero_copy_only=False)]
    return pd.Categorical.from_codes(codes, pd.Index(labels[order], dtype=object))


def _persons(snapshot: Snapshot) -> pd.DataFrame:
    """One row per person, in ``person_id`` order. The records are grouped by person alone
    and then joined to ``persons`` (a third less work than grouping the join by person and
    plaintiff flag: the group key is one text column, and only linked records are grouped)."""
    modes = ", ".join(
        f"mode({column}) FILTER (WHERE {column} IS NOT NULL AND {column} <> '' "
        f"AND {column} <> 'unknown') AS {column}"
        for column in PERSON_ATTRIBUTES
    )
    known = ", ".join(
        f"coalesce(r.{column}, 'unknown') AS {column}" for column in PERSON_ATTRIBUTES
    )
    children = ", ".join(f"'{band}'" for band in CHILD_BANDS)
    table = snapshot.sql(
        f"""SELECT *, CASE WHEN age_band IN ({children}) THEN 'child'
                           WHEN age_band = 'unknown' THEN 'unknown' ELSE 'adult' END AS child
            FROM (SELECT p.person_id, p.named_plaintiff, {known}
                  FROM persons p LEFT JOIN (
                      SELECT person_id, {modes} FROM records WHERE person_id IS NOT NULL
                      GROUP BY person_id) r USING (person_id))
            ORDER BY person_id"""  # noqa: S608 (schema columns)
    ).to_arrow_table()
    persons = pd.DataFrame(
        {
            "person_id": table.column("person_id").to_pandas(types_mapper=pd.ArrowDtype),
            "named_plaintiff": table.column("named_plaintiff").to_numpy(zero_copy_only=False),
        }
    )
    for column in (*PERSON_ATTRIBUTES, "child"):  # grouped often: integer codes are fast
        persons[column] = categorical(table.column(column))
    return persons


def _vulnerabilities(snapshot: Snapshot, persons: pd.DataFrame) -> pd.DataFrame:
    table = snapshot.sql(
        f"""SELECT DISTINCT p.person, v.code FROM (
               SELECT person_id, unnest(string_split(vulnerabilities, ' ')) AS code
               FROM records WHERE person_id IS NOT NULL AND vulnerabilities <> '') v
            JOIN ({PERSON_ROWS}) p USING (person_id)
            WHERE v.code <> ''"""  # noqa: S608 (a constant)
    ).to_arrow_table()
    codes = categorical(table.column("code"))
    flags = np.zeros((len(persons), len(codes.categories)), dtype=bool)
    flags[table.column("person").to_numpy(), codes.codes] = True
    return pd.DataFrame(flags, columns=list(codes.categories))


#: The linked events as the panel needs them: numbers, booleans and the port's text.
EVENT_ROWS = """
    SELECT e.event_id, p.person, coalesce(e.port, 'unknown') AS port,
           coalesce((year(e.date_start) - 1970) * 12 + month(e.date_start) - 1, 0) AS months,
           coalesce(e.date_start IS NOT NULL AND e.date_precision IN ('day', 'month'), false)
               AS known_month,
           coalesce(e.date_start IS NOT NULL AND e.date_precision IN ('day', 'month', 'year'),
                    false) AS known_year,
           coalesce(e.turned_away = 'yes', false) AS turned,
           coalesce(e.turned_away <> 'unknown', true) AS outcome_known,
           coalesce(e.fear_expressed = 'yes', false) AS fear
    FROM {events} e JOIN ({persons}) p USING (person_id)
    ORDER BY e.event_id
"""
#: The tactic codes of the snapshot's codings, in sorted order (a few dozen at most).
TACTIC_CODES = """
    SELECT DISTINCT term_code FROM codings WHERE starts_with(term_code, 'TAC.') ORDER BY term_code
"""
#: Which tactics each linked event met, one row per event with a tactic: the event's row
#: among the linked events (NULL for the unlinked ones, so a tactic only ever met at an
#: unlinked event still has its column) and one bit per tactic code, 64 codes to a word
#: (``{words}``: ``bit_or`` of each word). Aggregated inside DuckDB: an integer per event
#: instead of a row with its code's text per coding (docs/benchmarks/analysis.md).
EVENT_TACTICS = """
    WITH numbered AS (
        SELECT e.event_id, CASE WHEN p.person IS NOT NULL THEN
               row_number() OVER (PARTITION BY p.person IS NOT NULL ORDER BY e.event_id) - 1
               END AS position
        FROM {events} e LEFT JOIN ({persons}) p USING (person_id)
    ), codes AS (SELECT * FROM (VALUES {codes}) AS v(term_code, word, bit))
    SELECT n.position, {words} FROM codings t JOIN codes c USING (term_code)
    JOIN {reports} r USING (encounter_id) JOIN numbered n USING (event_id)
    GROUP BY n.position
"""
CONFLICTS = """
    SELECT count(*) AS events, count(person_id) AS linked,
           count(*) FILTER (WHERE fear_conflict) AS fear_expressed,
           count(*) FILTER (WHERE outcome_conflict) AS turned_away
    FROM {events}
"""


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


def _event_frame(table: pa.Table) -> pd.DataFrame:
    def numbers(name: str) -> np.ndarray:
        return np.asarray(table.column(name).to_numpy(zero_copy_only=False))

    months = numbers("months").astype(np.int64)
    known_month, known_year = numbers("known_month"), numbers("known_year")
    return pd.DataFrame(
        {
            "event_id": table.column("event_id").to_pandas(types_mapper=pd.ArrowDtype),
            "person": numbers("person").astype(np.int64),
            "port": categorical(table.column("port")),
            "month": _periods(months, known_month, 1),
            "quarter": _periods(months, known_month, 3),
            "year": _periods(months, known_year, 12),
            "turned": numbers("turned"),
            "outcome_known": numbers("outcome_known"),
            "fear": numbers("fear"),
        }
    )


def _event_tactics(
    snapshot: Snapshot, names: dict[str, str], events: int
) -> tuple[tuple[str, ...], np.ndarray]:
    """Which tactics each linked event met, as an events x tactics matrix: the bits of each
    event's words (:data:`EVENT_TACTICS`), only the codes met at some event kept as columns."""
    candidates = [str(row[0]) for row in snapshot.sql(TACTIC_CODES).fetchall()]
    if not candidates:
        return (), np.zeros((events, 0), dtype=bool)
    words = (len(candidates) + 63) // 64
    codes = ", ".join(
        "('{}', {}, {}::UBIGINT)".format(code.replace("'", "''"), index // 64, 1 << (index % 64))
        for index, code in enumerate(candidates)
    )
    aggregates = ", ".join(
        f"bit_or(CASE WHEN c.word = {word} THEN c.bit ELSE 0::UBIGINT END) AS w{word}"
        for word in range(words)
    )
    query = EVENT_TACTICS.format(codes=codes, words=aggregates, **names)
    table = snapshot.sql(query).to_arrow_table()
    position = table.column("position").to_numpy(zero_copy_only=False)
    linked = ~pd.isna(position)
    rows = position[linked].astype(np.int64)
    met = np.zeros(len(candidates), dtype=bool)
    flags = np.zeros((events, len(candidates)), dtype=bool)
    for word in range(words):
        bits = np.asarray(table.column(f"w{word}").to_numpy(zero_copy_only=False), np.uint64)
        for offset in range(min(64, len(candidates) - 64 * word)):
            has = (bits >> np.uint64(offset)) & np.uint64(1) == 1
            met[64 * word + offset] = has.any()
            flags[rows, 64 * word + offset] = has[linked]
    return tuple(code for code, kept in zip(candidates, met, strict=True) if kept), flags[:, met]


def analysis_data(snapshot: Snapshot) -> AnalysisData:
    """Prepare a snapshot for counting; raise if there is no one to count."""
    from testimonio.analysis.linkage_sensitivity import linkage_sensitivity  # uses the panel

    persons = _persons(snapshot)
    if persons.empty:
        raise EstimationError(
            "the snapshot has no persons: import records and run linkage before analysing"
        )
    names = {"events": "events", "reports": "event_reports", "persons": PERSON_ROWS}
    connection = snapshot.connection
    stored = snapshot.has("events") and snapshot.has("event_reports")
    if not stored:  # resolved here, then read by the same SQL as stored ones
        resolution = resolve_events(snapshot.frame("encounters"), snapshot.frame("records"))
        connection.register("_events_resolved", resolution.events)
        connection.register("_event_reports_resolved", resolution.event_reports)
        names.update(events="_events_resolved", reports="_event_reports_resolved")
    try:
        counted = snapshot.sql(CONFLICTS.format(**names)).fetchall()[0]
        if counted[0] == 0:
            raise EstimationError("the snapshot has no encounters: there is nothing to count")
        if counted[1] == 0:
            raise EstimationError("no encounter belongs to a linked person: run linkage first")
        events = _event_frame(snapshot.sql(EVENT_ROWS.format(**names)).to_arrow_table())
        codes, tactics = _event_tactics(snapshot, names, len(events))
    finally:
        if not stored:
            connection.unregister("_events_resolved")
            connection.unregister("_event_reports_resolved")
    return AnalysisData(
        snapshot_sha256=snapshot.sha256,
        persons=persons,
        vulnerabilities=_vulnerabilities(snapshot, persons),
        events=events,
        tactic_codes=codes,
        tactics=tactics,
        conflicts={"fear_expressed": int(counted[2]), "turned_away": int(counted[3])},
        linkage=linkage_sensitivity(snapshot),
    )


__all__ = ["AnalysisData", "CHILD_BANDS", "PERSON_ATTRIBUTES", "analysis_data", "categorical"]
