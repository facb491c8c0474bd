"""Events, not reports: how a person's reports are grouped into attempts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from testimonio.analysis import resolve_events
from testimonio.analysis.from_simulation import ReportingStyle, snapshot_tables
from testimonio.simulation import DrawnWorld

COLUMNS = ("person_id", "port", "date", "attempt_number", "fear_expressed", "outcome", "source")


def reports(*rows: tuple[object, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Encounter and record tables from (person, port, date, attempt, fear, outcome, source)."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    parts = frame["date"].str.split("-", expand=True).reindex(columns=[0, 1, 2])
    precision = parts.notna().sum(axis=1).map({0: "unknown", 1: "year", 2: "month", 3: "day"})
    encounters = pd.DataFrame(
        {
            "encounter_id": [f"E-{index}" for index in range(len(frame))],
            "record_id": [f"R-{index}" for index in range(len(frame))],
            "person_id": frame["person_id"],
            "date_year": pd.to_numeric(parts[0]).astype("Int16"),
            "date_month": pd.to_numeric(parts[1]).astype("Int16"),
            "date_day": pd.to_numeric(parts[2]).astype("Int16"),
            "date_precision": precision,
            "port": frame["port"],
            "attempt_number": frame["attempt_number"].astype("Int16"),
            "fear_expressed": frame["fear_expressed"],
            "outcome": frame["outcome"],
        }
    )
    records = pd.DataFrame({"record_id": encounters["record_id"], "source_id": frame["source"]})
    return encounters, records


def event_of(resolution: object) -> list[str]:
    return resolution.event_reports.sort_values("encounter_id")["event_id"].tolist()  # type: ignore[attr-defined]


def test_one_attempt_told_by_three_lists_is_one_event_with_three_reports() -> None:
    encounters, records = reports(
        ("P-1", "2504-PEDW", "2019-01-27", 1, "yes", "OUT.TURNED_BACK", "legal_aid"),
        ("P-1", "2504-PEDW", "2019-01-27", 1, "yes", "OUT.TURNED_BACK", "shelter"),
        ("P-1", "2504-PEDW", "2019-01-28", None, "unknown", "OUT.TURNED_BACK", "partner"),
    )
    resolution = resolve_events(encounters, records)
    assert len(resolution.events) == 1
    assert resolution.events["reports"].tolist() == [3]
    assert sorted(resolution.event_reports["source_id"]) == ["legal_aid", "partner", "shelter"]


def test_a_month_report_joins_the_day_dated_attempt_inside_that_month() -> None:
    encounters, records = reports(
        ("P-1", "2402-PDN", "2018-06-14", 2, "yes", "OUT.TURNED_BACK", "a"),
        ("P-1", "2402-PDN", "2018-06", 2, "no", "OUT.TURNED_BACK", "b"),
        ("P-1", "2402-PDN", "2018-08", 3, "no", "OUT.TURNED_BACK", "b"),
    )
    resolution = resolve_events(encounters, records)
    first, second, third = event_of(resolution)
    assert first == second != third
    assert resolution.events.set_index("event_id").loc[first, "date_precision"] == "day"


def test_different_attempt_numbers_on_the_same_day_are_two_events() -> None:
    encounters, records = reports(
        ("P-1", "2402-PDN", "2018-06-14", 1, "yes", "OUT.TURNED_BACK", "a"),
        ("P-1", "2402-PDN", "2018-06-14", 2, "yes", "OUT.TURNED_BACK", "b"),
    )
    assert len(resolve_events(encounters, records).events) == 2


def test_an_event_never_joins_two_persons_or_two_ports() -> None:
    encounters, records = reports(
        ("P-1", "2402-PDN", "2018-06-14", 1, "yes", "OUT.TURNED_BACK", "a"),
        ("P-2", "2402-PDN", "2018-06-14", 1, "yes", "OUT.TURNED_BACK", "a"),
        ("P-1", "2305-HID", "2018-06-14", 1, "yes", "OUT.TURNED_BACK", "b"),
    )
    assert len(set(event_of(resolve_events(encounters, records)))) == 3


def test_dates_further_apart_than_the_tolerance_are_two_events() -> None:
    encounters, records = reports(
        ("P-1", "2402-PDN", "2018-06-14", None, "yes", "OUT.TURNED_BACK", "a"),
        ("P-1", "2402-PDN", "2018-06-20", None, "yes", "OUT.TURNED_BACK", "b"),
    )
    assert len(resolve_events(encounters, records, tolerance_days=2).events) == 2
    assert len(resolve_events(encounters, records, tolerance_days=7).events) == 1


def test_fear_told_by_any_source_counts_and_the_conflict_is_counted() -> None:
    encounters, records = reports(
        ("P-1", "2402-PDN", "2018-06-14", 1, "yes", "OUT.TURNED_BACK", "a"),
        ("P-1", "2402-PDN", "2018-06-14", 1, "no", "OUT.PROCESSED.NTA", "b"),
    )
    resolution = resolve_events(encounters, records)
    event = resolution.events.iloc[0]
    assert (event["fear_expressed"], event["turned_away"]) == ("yes", "yes")
    assert (resolution.fear_conflicts, resolution.outcome_conflicts) == (1, 1)


def test_an_undated_report_joins_the_event_with_its_attempt_number() -> None:
    encounters, records = reports(
        ("P-1", "2402-PDN", "2018-06-14", 1, "yes", "OUT.TURNED_BACK", "a"),
        ("P-1", "2402-PDN", "", 1, "yes", "OUT.TURNED_BACK", "b"),
        ("P-1", "2402-PDN", "", None, "yes", "OUT.TURNED_BACK", "b"),
    )
    first, second, third = event_of(resolve_events(encounters, records))
    assert first == second != third


def test_a_simulated_worlds_reports_resolve_into_its_true_attempts(world: DrawnWorld) -> None:
    style = ReportingStyle(month_share=0.3, year_share=0.1, seed=5)
    tables = snapshot_tables(world, style)
    resolution = resolve_events(tables["encounters"], tables["records"])
    documented = np.flatnonzero(world.captured.any(axis=1))
    unit = world.population.unit[documented]
    true_events = int((world.encounter_ends[unit] - world.encounter_starts[unit]).sum())
    assert resolution.reports == len(tables["encounters"]) > true_events
    assert len(resolution.events) == true_events
    assert resolution.fear_conflicts == resolution.outcome_conflicts == 0
