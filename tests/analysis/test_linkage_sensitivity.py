"""Linkage matters: the person-counts over the linkage run's alternative clusterings.

A simulated world linked imperfectly (:mod:`testimonio.analysis.simulated_linkage`: true
pairs sometimes scored low, false pairs sometimes high) and clustered at the run's threshold
and the alternative ones, as the web app does.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from testimonio.analysis import AnalysisData, analysis_data, load_snapshot, standard_panel
from testimonio.analysis.from_simulation import snapshot_tables
from testimonio.analysis.linkage_sensitivity import (
    SENSITIVITY_FIGURES,
    linkage_sensitivity,
    sensitivity_lines,
)
from testimonio.analysis.simulated_linkage import THRESHOLDS, relink
from testimonio.analysis.snapshot import write_snapshot
from testimonio.simulation import DrawnWorld

OWN = 0.9


@pytest.fixture(scope="module")
def relinked(world: DrawnWorld, tmp_path_factory: pytest.TempPathFactory) -> AnalysisData:
    tables = relink(snapshot_tables(world), own=OWN, seed=5)
    path = tmp_path_factory.mktemp("relinked") / "world.duckdb"
    write_snapshot(tables, path, project="simulated", linkage_run="simulated")
    return analysis_data(load_snapshot(path))


def by_threshold(table: pd.DataFrame, figure_id: str, column: str = "count") -> list[int]:
    rows = table[table["id"] == figure_id].sort_values("threshold")
    return [int(value) for value in rows[column]]


def test_every_threshold_is_shown_with_every_person_figure(relinked: AnalysisData) -> None:
    table = relinked.linkage
    assert table is not None
    assert sorted(table["threshold"].unique()) == sorted(THRESHOLDS)
    assert set(table["id"]) == set(SENSITIVITY_FIGURES)
    assert table.groupby("threshold").size().eq(len(SENSITIVITY_FIGURES)).all()
    assert table.loc[table["own"], "threshold"].unique().tolist() == [OWN]


def test_the_runs_own_threshold_reproduces_the_main_panel_exactly(
    relinked: AnalysisData,
) -> None:
    table = relinked.linkage
    assert table is not None
    own = table[table["own"]].set_index("id")
    panel = {figure.id: figure for figure in standard_panel(relinked) if not figure.by}
    for figure_id in SENSITIVITY_FIGURES[1:]:
        figure = panel[figure_id]
        row = own.loc[figure_id]
        assert (row["count"], row["denominator"]) == (figure.count, figure.denominator)
        assert row["share"] == pytest.approx(figure.share)
        assert (row["lower"], row["upper"]) == pytest.approx((figure.lower, figure.upper))
    assert own.loc["persons", "count"] == panel["persons_turned_away"].denominator


def test_persons_and_persons_turned_away_never_fall_as_the_threshold_rises(
    relinked: AnalysisData,
) -> None:
    table = relinked.linkage
    assert table is not None
    for figure_id in ("persons", "persons_turned_away"):
        counts = by_threshold(table, figure_id)
        assert counts == sorted(counts), figure_id
        assert counts[0] < counts[-1], figure_id  # the linkage really does matter here


def test_eager_linkage_undercounts_and_cautious_linkage_overcounts_the_true_persons(
    relinked: AnalysisData, world: DrawnWorld
) -> None:
    table = relinked.linkage
    assert table is not None
    persons = by_threshold(table, "persons")
    true_persons = len(snapshot_tables(world)["persons"])
    # False links (scored up to 1) join people at 0.5; true links scored below 0.99 are missed.
    assert persons[0] < true_persons < persons[-1]


def test_a_snapshot_without_alternatives_says_so(tmp_path: Path, world: DrawnWorld) -> None:
    path = tmp_path / "plain.duckdb"
    write_snapshot(snapshot_tables(world), path, project="simulated")
    snapshot = load_snapshot(path)
    assert linkage_sensitivity(snapshot) is None
    assert analysis_data(snapshot).linkage is None
    assert "does not carry" in sensitivity_lines(None)[0]


def test_the_table_prints_one_line_per_threshold(relinked: AnalysisData) -> None:
    lines = sensitivity_lines(relinked.linkage)
    assert len(lines) == 2 + len(THRESHOLDS)
    assert sum("(run)" in line for line in lines) == 1
