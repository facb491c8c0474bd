"""The standard panel against the simulated truth, and how it answers bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from testimonio.analysis import (
    BY_FIELDS,
    AnalysisData,
    Figure,
    analysis_data,
    figure_rows,
    load_snapshot,
    standard_panel,
    write_snapshot,
)
from testimonio.analysis.from_simulation import snapshot_tables
from testimonio.errors import EstimationError, InputError
from testimonio.simulation import DrawnWorld


def truth_counts(world: DrawnWorld) -> dict[str, tuple[int, int]]:
    """(count, denominator) of each figure, computed from the world's arrays alone."""
    documented = np.flatnonzero(world.captured.any(axis=1))
    truth = world.encounters
    unit = world.population.unit[documented]
    counts: dict[str, tuple[int, int]] = {}
    turned_times = world.turn_backs[documented]
    turned = int((turned_times > 0).sum())
    counts["persons_turned_away"] = (turned, len(documented))
    counts["persons_turned_away_repeatedly"] = (int((turned_times >= 2).sum()), turned)
    fear_any = np.zeros(len(documented), bool)
    fear_turned = np.zeros(len(documented), bool)
    tactic_any = np.zeros((len(documented), len(truth.tactic_codes)), bool)
    events = events_turned = 0
    for row, person_unit in enumerate(unit):
        span = slice(world.encounter_starts[person_unit], world.encounter_ends[person_unit])
        back = truth.turned_back[span]
        fear_any[row] = truth.fear_expressed[span].any()
        fear_turned[row] = (truth.fear_expressed[span] & back).any()
        tactic_any[row] = (truth.tactics[span] & back[:, None]).any(axis=0)
        events += len(back)
        events_turned += int(back.sum())
    counts["persons_fear_expressed_then_turned_away"] = (
        int(fear_turned.sum()),
        int(fear_any.sum()),
    )
    for index, code in enumerate(truth.tactic_codes):
        if tactic_any[:, index].any():
            counts[f"tactic:{code}"] = (int(tactic_any[:, index].sum()), turned)
    counts["encounters_turned_away"] = (events_turned, events)
    return counts


def whole(figures: list[Figure]) -> dict[str, Figure]:
    return {figure.id: figure for figure in figures if not figure.by}


def test_the_panel_counts_exactly_the_documented_people_and_events_of_the_truth(
    world: DrawnWorld, data: AnalysisData
) -> None:
    panel = whole(standard_panel(data))
    expected = truth_counts(world)
    assert {key: (figure.count, figure.denominator) for key, figure in panel.items()} == expected


def test_every_share_lies_inside_its_interval(data: AnalysisData) -> None:
    for figure in standard_panel(data, by=BY_FIELDS):
        if figure.share is not None:
            assert figure.lower is not None and figure.upper is not None
            assert figure.lower <= figure.share <= figure.upper
            assert figure.method == (
                "clopper-pearson" if min(figure.count, figure.denominator - figure.count) < 5
                else "wilson"
            )  # fmt: skip


def test_a_breakdown_by_port_counts_the_true_events_at_each_port(
    world: DrawnWorld, data: AnalysisData
) -> None:
    panel = standard_panel(data, by=["port"])
    rows = [f for f in panel if f.id == "encounters_turned_away" and "port" in f.by]
    documented = np.flatnonzero(world.captured.any(axis=1))
    unit = world.population.unit[documented]
    spans = [np.arange(world.encounter_starts[u], world.encounter_ends[u]) for u in unit]
    true = np.concatenate(spans)
    table = pd.DataFrame({"port": world.encounters.port[true],
                          "back": world.encounters.turned_back[true]})  # fmt: skip
    expected = table.groupby("port")["back"].agg(["sum", "size"])
    found = {f.by["port"]: (f.count, f.denominator) for f in rows if f.by["port"] != "unknown"}
    assert found == {port: (int(r["sum"]), int(r["size"])) for port, r in expected.iterrows()}


def test_person_breakdowns_partition_the_people(data: AnalysisData) -> None:
    panel = standard_panel(data, by=["nationality", "gender_identity", "age_band"])
    total = whole(panel)["persons_turned_away"].denominator
    for field in ("nationality", "gender_identity", "age_band"):
        groups = [f for f in panel if f.id == "persons_turned_away" and field in f.by]
        assert sum(f.denominator for f in groups) == total


def test_the_ids_behind_a_figure_are_as_many_as_it_counts(data: AnalysisData) -> None:
    panel = standard_panel(data, by=["port"])
    for figure in panel[:: max(1, len(panel) // 40)]:
        people, events = figure.provenance.person_ids(), figure.provenance.event_ids()
        assert len(people if figure.unit == "persons" else events) == figure.count
        assert all(person.startswith("P-") for person in people)
        assert figure.provenance.snapshot_sha256 == data.snapshot_sha256


def test_json_rows_carry_the_contracted_keys(data: AnalysisData) -> None:
    rows = figure_rows(standard_panel(data, by=["year"]))
    assert {"id", "by", "count", "denominator", "share", "lower", "upper", "level"} <= set(rows[0])
    assert rows[0]["by"] == {} and rows[0]["level"] == 0.95
    assert any(row["by"] == {"year": "2018"} for row in rows)


def test_a_group_with_an_empty_denominator_has_no_share_and_says_why(data: AnalysisData) -> None:
    panel = standard_panel(data, by=["port", "month"])
    empty = [f for f in panel if f.denominator == 0]
    assert empty, "some port or month has no one who expressed fear"
    assert all(f.share is None and f.lower is None and f.note.startswith("no one") for f in empty)


def test_a_stratum_with_no_one_is_an_error_not_a_zero(data: AnalysisData) -> None:
    with pytest.raises(EstimationError, match="no one in the stratum port=9999-XXX"):
        standard_panel(data, where={"port": "9999-XXX"})


def test_a_stratum_restricts_every_figure(data: AnalysisData) -> None:
    inside = whole(standard_panel(data, where={"year": "2018"}))
    by_year = [f for f in standard_panel(data, by=["year"]) if f.by == {"year": "2018"}]
    assert {f.id: f.count for f in by_year} == {key: f.count for key, f in inside.items()}


def test_an_unknown_breakdown_field_is_an_input_error(data: AnalysisData) -> None:
    with pytest.raises(InputError, match="cannot break down by 'shoe_size'"):
        standard_panel(data, by=["shoe_size"])


def test_an_empty_snapshot_is_an_error_that_says_what_to_do(
    world: DrawnWorld, tmp_path: Path
) -> None:
    tables = {name: table.iloc[:0] for name, table in snapshot_tables(world).items()}
    write_snapshot(tables, tmp_path / "empty.duckdb", project="empty")
    with pytest.raises(EstimationError, match="no persons: import records and run linkage"):
        analysis_data(load_snapshot(tmp_path / "empty.duckdb"))


def test_a_snapshot_never_linked_is_an_error(world: DrawnWorld, tmp_path: Path) -> None:
    tables = snapshot_tables(world)
    tables["encounters"] = tables["encounters"].assign(person_id=None)
    write_snapshot(tables, tmp_path / "unlinked.duckdb", project="unlinked")
    with pytest.raises(EstimationError, match="run linkage first"):
        analysis_data(load_snapshot(tmp_path / "unlinked.duckdb"))
