"""Events, not reports: one attempt at a port told by three lists is one event.

An *encounter* row of the snapshot is one source's report of an attempt; an *event* is the
attempt as it happened (the HURIDOCS Events Standard Formats' distinction between an event and
the sources' accounts of it). :func:`resolve_events` groups a person's reports into events
by the rule stated in docs/methods.md ("Events and the panel"):

1. Only reports of the same person at the same port can be one event; a report without a port
   or a person stays an event of its own.
2. Reports dated to the day are sorted by date and attempt number; a report joins the event
   of the report before it when its date is at most ``tolerance_days`` later and their attempt
   numbers do not contradict each other (equal, or one unknown).
3. A report dated only to a month or a year joins the earliest day-dated event inside that
   month or year with a compatible attempt number; when several fit it is counted as
   ambiguous. Coarse reports that fit no event form events among themselves (overlapping
   periods, compatible attempts).
4. An undated report joins the event with the same attempt number when it has one, else it
   stays an event of its own.

Conflicting answers are reconciled by stated rules, and every conflict is counted: fear was
expressed at an event if *any* report of it says so; the person was turned away at it if
*any* report gives a turn-back outcome (anything not under ``OUT.PROCESSED``).

What must always hold: every report belongs to exactly one event, and an event never joins
two persons or two ports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from testimonio.analysis.ids import padded_ids

DEFAULT_TOLERANCE_DAYS = 2
PROCESSED = "OUT.PROCESSED"


@dataclass(frozen=True)
class Resolution:
    """The events, which report belongs to which, and how many answers had to be reconciled."""

    events: pd.DataFrame
    event_reports: pd.DataFrame
    reports: int
    ambiguous_reports: int
    fear_conflicts: int
    outcome_conflicts: int
    tolerance_days: int


def report_intervals(encounters: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """First and last day each report's date can be (NaT when the date is unknown)."""
    year = encounters["date_year"].astype("Int64").fillna(1).to_numpy(dtype=np.int64)
    month = encounters["date_month"].astype("Int64").fillna(1).to_numpy(dtype=np.int64)
    day = encounters["date_day"].astype("Int64").fillna(1).to_numpy(dtype=np.int64)
    precision = encounters["date_precision"].to_numpy(dtype=object)
    first_month = (year - 1970) * 12 + np.where(precision == "year", 0, month - 1)
    start = first_month.astype("datetime64[M]").astype("datetime64[D]")
    start = start + np.where(precision == "day", day - 1, 0).astype("timedelta64[D]")
    months = np.where(precision == "year", 12, 1)
    after = (first_month + months).astype("datetime64[M]").astype("datetime64[D]")
    end = np.where(precision == "day", start, after - np.timedelta64(1, "D"))
    unknown = ~np.isin(precision, ["day", "month", "year"]) | encounters["date_year"].isna()
    start = start.astype("datetime64[D]")
    end = end.astype("datetime64[D]")
    start[np.asarray(unknown)] = np.datetime64("NaT")
    end[np.asarray(unknown)] = np.datetime64("NaT")
    return start, end


def _chain_break(frame: pd.DataFrame, gap_ok: np.ndarray) -> np.ndarray:
    """True where a sorted row starts a new event (new person/port, gap, attempt conflict)."""
    person, port = frame["person_id"].to_numpy(), frame["port"].to_numpy()
    attempt = frame["attempt"].to_numpy()
    same = np.zeros(len(frame), dtype=bool)
    same[1:] = (person[1:] == person[:-1]) & (port[1:] == port[:-1])
    compatible = np.ones(len(frame), dtype=bool)
    compatible[1:] = (attempt[1:] < 0) | (attempt[:-1] < 0) | (attempt[1:] == attempt[:-1])
    return ~(same & gap_ok & compatible)


def _day_events(day: pd.DataFrame, tolerance: int) -> pd.Series:
    day = day.sort_values(["person_id", "port", "start", "attempt"], kind="stable")
    start = day["start"].to_numpy()
    gap_ok = np.ones(len(day), dtype=bool)
    gap_ok[1:] = (start[1:] - start[:-1]) <= np.timedelta64(tolerance, "D")
    return pd.Series(np.cumsum(_chain_break(day, gap_ok)), index=day.index)


def _attach_coarse(
    coarse: pd.DataFrame, day: pd.DataFrame, event: pd.Series
) -> tuple[pd.Series, int]:
    """The day event each coarse report joins (where one fits), and how many were ambiguous."""
    anchors = day.assign(event=event)[["person_id", "port", "start", "attempt", "event"]]
    anchors = anchors.drop_duplicates("event")
    pairs = (
        coarse[["person_id", "port", "start", "end", "attempt"]]
        .reset_index()
        .merge(anchors, on=["person_id", "port"], suffixes=("", "_event"))
    )
    within = (pairs["start_event"] >= pairs["start"]) & (pairs["start_event"] <= pairs["end"])
    attempt, attempt_event = pairs["attempt"], pairs["attempt_event"]
    compatible = (attempt < 0) | (attempt_event < 0) | (attempt == attempt_event)
    fits = (within & compatible).to_numpy()
    fitting = pairs[fits].sort_values(["index", "start_event"], kind="stable")
    candidates = fitting.groupby("index").size()
    chosen = fitting.drop_duplicates("index").set_index("index")["event"]
    return chosen, int((candidates > 1).sum())


def _group_events(frame: pd.DataFrame, first_id: int) -> pd.Series:
    """Events among reports that fit no day-dated event: overlapping periods chain.

    Sorted by attempt before date, so that reports of one attempt are next to each other.
    """
    frame = frame.sort_values(["person_id", "port", "attempt", "start"], kind="stable")
    if frame.empty:
        return pd.Series(dtype=np.int64)
    start, end = frame["start"].to_numpy().astype("int64"), frame["end"].to_numpy()
    group = frame.groupby(["person_id", "port", "attempt"], sort=False).ngroup().to_numpy()
    running_end = pd.Series(end.astype("int64")).groupby(group).cummax().to_numpy()
    gap_ok = np.ones(len(frame), dtype=bool)
    gap_ok[1:] = start[1:] <= running_end[:-1]
    return pd.Series(first_id + np.cumsum(_chain_break(frame, gap_ok)), index=frame.index)


def assign_events(reports: pd.DataFrame, tolerance_days: int) -> tuple[pd.Series, int]:
    """An event number for every report (steps 1-4 of the module docstring)."""
    event = pd.Series(-1, index=reports.index, dtype=np.int64)
    linkable = reports["person_id"].notna() & reports["port"].notna()
    dated = linkable & reports["start"].notna()
    is_day = dated & (reports["precision"] == "day")
    day = reports[is_day]
    day_event = _day_events(day, tolerance_days)
    event.loc[day_event.index] = day_event.to_numpy()
    coarse = reports[dated & ~is_day]
    chosen, ambiguous = _attach_coarse(coarse, day, event.loc[day.index])
    event.loc[chosen.index] = chosen.to_numpy()
    left = coarse.drop(chosen.index)
    next_id = int(event.max()) + 1 if len(event) else 0
    grouped = _group_events(left, next_id)
    event.loc[grouped.index] = grouped.to_numpy()
    undated = reports[linkable & reports["start"].isna()]
    known = event[event >= 0]
    anchors = reports.loc[known.index, ["person_id", "port", "attempt"]].assign(event=known)
    anchors = anchors[anchors["attempt"] >= 0].drop_duplicates(["person_id", "port", "attempt"])
    matched = (
        undated[undated["attempt"] >= 0]
        .reset_index()
        .merge(anchors, on=["person_id", "port", "attempt"])
        .set_index("index")["event"]
    )
    event.loc[matched.index] = matched.to_numpy()
    alone = event.index[event < 0]
    next_id = int(event.max()) + 1 if (event >= 0).any() else 0
    event.loc[alone] = np.arange(next_id, next_id + len(alone))
    return event, ambiguous


def _reports(encounters: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    start, end = report_intervals(encounters)
    source = encounters[["record_id"]].merge(
        records[["record_id", "source_id"]], on="record_id", how="left"
    )["source_id"]
    outcome = encounters["outcome"]
    turned = np.where(
        outcome.isna(), "unknown", np.where(outcome.str.startswith(PROCESSED), "no", "yes")
    )
    return pd.DataFrame(
        {
            "encounter_id": encounters["encounter_id"].to_numpy(),
            "person_id": encounters["person_id"].to_numpy(),
            "port": encounters["port"].to_numpy(),
            "source_id": source.to_numpy(),
            "start": start,
            "end": end,
            "precision": encounters["date_precision"].to_numpy(),
            "attempt": encounters["attempt_number"].astype("Int64").fillna(-1).to_numpy(np.int64),
            "fear": encounters["fear_expressed"].fillna("unknown").to_numpy(),
            "turned": turned,
        }
    )


def _reconcile(values: pd.Series, event: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per event: 'yes' if any report says yes, else 'no' if any says no; and the conflicts."""
    codes, events = event.to_numpy(), int(event.max()) + 1 if len(event) else 0
    said = values.to_numpy()
    yes = np.bincount(codes, weights=said == "yes", minlength=events) > 0
    no = np.bincount(codes, weights=said == "no", minlength=events) > 0
    present = np.bincount(codes, minlength=events) > 0
    answer = np.where(yes, "yes", np.where(no, "no", "unknown"))[present]
    return answer, (yes & no)[present]


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _event_table(reports: pd.DataFrame) -> pd.DataFrame:
    rank = reports["precision"].map(_PRECISION_RANK).fillna(3)
    finest = rank == rank.groupby(reports["event"]).transform("min")
    best = reports[finest].groupby("event")
    grouped = reports.groupby("event")
    attempts = reports[reports["attempt"] >= 0].groupby("event")["attempt"].min()
    fear, fear_conflict = _reconcile(reports["fear"], reports["event"])
    turned, outcome_conflict = _reconcile(reports["turned"], reports["event"])
    ids = grouped.size().index
    return pd.DataFrame(
        {
            "event_id": padded_ids("V-", np.asarray(ids)),
            "person_id": grouped["person_id"].first().to_numpy(),
            "port": grouped["port"].first().to_numpy(),
            "date_start": best["start"].min().reindex(ids).to_numpy(),
            "date_end": best["end"].max().reindex(ids).to_numpy(),
            "date_precision": best["precision"].first().reindex(ids).fillna("unknown").to_numpy(),
            "attempt_number": attempts.reindex(ids).astype("Int16").to_numpy(),
            "fear_expressed": fear,
            "fear_conflict": fear_conflict,
            "turned_away": turned,
            "outcome_conflict": outcome_conflict,
            "reports": grouped.size().to_numpy().astype(np.int32),
        }
    )


def resolve_events(
    encounters: pd.DataFrame,
    records: pd.DataFrame,
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
) -> Resolution:
    """Resolve snapshot encounters (reports) into events; see the module docstring."""
    reports = _reports(encounters, records)
    event, ambiguous = assign_events(reports, tolerance_days)
    reports["event"] = event.to_numpy()
    events = _event_table(reports)
    event_reports = pd.DataFrame(
        {
            "event_id": padded_ids("V-", event.to_numpy()),
            "encounter_id": reports["encounter_id"].to_numpy(),
            "source_id": reports["source_id"].to_numpy(),
        }
    )
    return Resolution(
        events=events,
        event_reports=event_reports,
        reports=len(reports),
        ambiguous_reports=ambiguous,
        fear_conflicts=int(events["fear_conflict"].sum()),
        outcome_conflicts=int(events["outcome_conflict"].sum()),
        tolerance_days=tolerance_days,
    )


__all__ = ["DEFAULT_TOLERANCE_DAYS", "Resolution", "report_intervals", "resolve_events"]
