"""The fast panel (DuckDB, integer codes, bincount) against a plain pandas computation.

The reference reads the same snapshot tables with nothing but pandas group-bys over text: per
person (and group) whether they were turned away, how often, whether they expressed fear and
were turned away at such an event, and which tactics they met where turned away. Every figure
of the whole project and of the breakdowns by port, quarter, nationality and vulnerability
must have the same count and denominator.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from testimonio.analysis import (
    analysis_data,
    load_snapshot,
    resolve_events,
    standard_panel,
    write_snapshot,
)
from testimonio.analysis.from_simulation import ReportingStyle, snapshot_tables
from testimonio.simulation import DrawnWorld

Key = tuple[str, str]  # (figure id, group label; '' for the whole project)


def reference_counts(events: pd.DataFrame, tactics: pd.DataFrame, group: pd.Series) -> dict:
    """(count, denominator) per figure and group, by pandas group-bys over text columns."""
    frame = events.assign(group=group.to_numpy())
    frame["turned"] = frame["turned_away"] == "yes"
    frame["known"] = frame["turned_away"] != "unknown"
    frame["fear"] = frame["fear_expressed"] == "yes"
    frame["fear_turned"] = frame["fear"] & frame["turned"]
    result: dict[Key, tuple[int, int]] = {}
    per_person = frame.groupby(["group", "person_id"]).agg(
        turned=("turned", "sum"), fear=("fear", "any"), fear_turned=("fear_turned", "any")
    )
    met = tactics.merge(frame[frame["turned"]][["event_id", "group", "person_id"]], on="event_id")
    met = met.drop_duplicates(["group", "person_id", "term_code"])
    for label, people in per_person.groupby(level="group"):
        turned = int((people["turned"] >= 1).sum())
        result[("persons_turned_away", label)] = (turned, len(people))
        result[("persons_turned_away_repeatedly", label)] = (
            int((people["turned"] >= 2).sum()),
            turned,
        )
        result[("persons_fear_expressed_then_turned_away", label)] = (
            int(people["fear_turned"].sum()),
            int(people["fear"].sum()),
        )
        for code in tactics["term_code"].unique():
            here = met[(met["group"] == label) & (met["term_code"] == code)]
            result[(f"tactic:{code}", label)] = (len(here), turned)
    for label, group_events in frame.groupby("group"):
        result[("encounters_turned_away", label)] = (
            int(group_events["turned"].sum()),
            int(group_events["known"].sum()),
        )
    return result


def quarter(events: pd.DataFrame) -> pd.Series:
    start = pd.to_datetime(events["date_start"])
    known = events["date_precision"].isin(["day", "month"]) & start.notna()
    label = (
        start.dt.year.astype("Int64").astype(str)
        + "-Q"
        + start.dt.quarter.astype("Int64").astype(str)
    )
    return label.where(known, "unknown")


def person_nationality(records: pd.DataFrame) -> dict[str, str]:
    """The most frequent known nationality of each person's records ('unknown' if none)."""
    known = records[records["nationality"].notna() & ~records["nationality"].isin(["", "unknown"])]
    modes = {}
    for person, values in known.groupby("person_id")["nationality"]:
        counted = Counter(values).most_common()
        if len(counted) > 1 and counted[0][1] == counted[1][1]:
            modes[person] = None  # a tie: either is right, the comparison skips this person
        else:
            modes[person] = counted[0][0]
    return modes


@pytest.fixture(scope="module")
def snapshot_and_tables(world: DrawnWorld, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    tables = snapshot_tables(world, ReportingStyle(month_share=0.2, year_share=0.05, seed=5))
    resolution = resolve_events(tables["encounters"], tables["records"])
    tables |= {"events": resolution.events, "event_reports": resolution.event_reports}
    path = tmp_path_factory.mktemp("reference") / "world.duckdb"
    write_snapshot(tables, path, project="reference")
    return load_snapshot(path), tables


def test_the_fast_panel_equals_a_plain_pandas_computation(snapshot_and_tables: tuple) -> None:
    snapshot, tables = snapshot_and_tables
    by = ["port", "quarter", "nationality", "vulnerability"]
    panel = {
        (figure.id, next(iter(figure.by.values()), "")): (figure.count, figure.denominator)
        for figure in standard_panel(analysis_data(snapshot), by=by)
    }
    events = tables["events"][tables["events"]["person_id"].notna()].reset_index(drop=True)
    events["port"] = events["port"].fillna("unknown")
    tactics = tables["event_reports"].merge(tables["codings"], on="encounter_id")
    tactics = tactics[tactics["term_code"].str.startswith("TAC.")][["event_id", "term_code"]]
    tactics = tactics.drop_duplicates()

    expected = reference_counts(events, tactics, pd.Series([""] * len(events)))
    expected |= reference_counts(events, tactics, events["port"])
    expected |= reference_counts(events, tactics, quarter(events))
    records = tables["records"]
    nationality = person_nationality(records)
    with_nationality = events["person_id"].map(lambda person: nationality.get(person, "unknown"))
    untied = with_nationality.notna()
    assert untied.mean() > 0.9  # ties are rare: the comparison covers most people
    if untied.all():  # else a tie could be broken either way: nationality is not compared
        expected |= reference_counts(events, tactics, with_nationality)
    flagged = records[records["vulnerabilities"].fillna("") != ""]
    codes = flagged.assign(code=flagged["vulnerabilities"].str.split()).explode("code")
    for code, people in codes.groupby("code")["person_id"]:
        mine = events[events["person_id"].isin(set(people.dropna()))]
        expected |= reference_counts(mine, tactics, pd.Series([code] * len(mine)))

    for key, counts in expected.items():
        assert panel[key] == counts, key
    assert len(expected) > 200
    nonzero = [key for key, (count, denominator) in panel.items() if denominator > 0]
    assert len(nonzero) > 200
