"""The fast paths of the panel (docs/benchmarks/analysis.md) against plain computations.

The panel's grouped sums are one bincount per column, its tactics per event come from DuckDB
as bit words, its intervals from one call per counts table: each is compared here, figure by
figure or value by value, with what the plain way gives on the same data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from testimonio.analysis import (
    AnalysisData,
    Snapshot,
    analysis_data,
    load_snapshot,
    resolve_events,
    standard_panel,
    write_snapshot,
)
from testimonio.analysis.from_simulation import ReportingStyle, snapshot_tables
from testimonio.analysis.intervals import share_intervals
from testimonio.analysis.panel import count_by
from testimonio.analysis.snapshot import to_frame
from testimonio.simulation import DrawnWorld


def test_count_by_equals_a_bincount_per_column() -> None:
    generator = np.random.default_rng(7)
    codes = generator.integers(0, 50, size=5_000)
    columns = {
        "flag": generator.random(5_000) < 0.3,
        "rare": generator.random(5_000) < 0.01,
        "number": generator.integers(0, 4, size=5_000),
    }
    sums = count_by(codes, columns, 60)
    np.testing.assert_array_equal(sums["flag"], np.bincount(codes[columns["flag"]], minlength=60))
    np.testing.assert_array_equal(sums["rare"], np.bincount(codes[columns["rare"]], minlength=60))
    np.testing.assert_array_equal(
        sums["number"], np.bincount(codes, weights=columns["number"], minlength=60)
    )
    assert sums["flag"][50:].sum() == 0  # groups no row has stay empty


@pytest.fixture(scope="module")
def stored(world: DrawnWorld, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """A snapshot with its events stored (the form the benchmark and ``snapshot`` write)."""
    tables = snapshot_tables(world, ReportingStyle(month_share=0.2, seed=5))
    resolution = resolve_events(tables["encounters"], tables["records"])
    tables |= {"events": resolution.events, "event_reports": resolution.event_reports}
    path = tmp_path_factory.mktemp("fast") / "world.duckdb"
    write_snapshot(tables, path, project="fast")
    return load_snapshot(path)


def test_tactics_per_event_equal_the_codings_of_its_reports(stored: Snapshot) -> None:
    """Every linked event's tactic flags are exactly the TAC codes of its reports' codings."""
    snapshot = stored
    data = analysis_data(snapshot)
    reports = to_frame(snapshot.relation("event_reports"))
    codings = to_frame(snapshot.relation("codings"))
    codings = codings[codings["term_code"].str.startswith("TAC.")]
    met = reports.merge(codings, on="encounter_id")[["event_id", "term_code"]].drop_duplicates()
    expected = set(map(tuple, met.to_numpy().tolist()))
    event_ids = data.events["event_id"].astype(str).to_numpy()
    rows, columns = np.nonzero(data.tactics)
    found = {
        (event_ids[row], data.tactic_codes[column])
        for row, column in zip(rows, columns, strict=True)
    }
    linked = set(event_ids)
    assert found == {pair for pair in expected if pair[0] in linked}
    assert len(found) > 100
    assert list(data.tactic_codes) == sorted(set(met["term_code"]))


def test_every_figure_has_the_interval_it_would_get_alone(data: AnalysisData) -> None:
    """One interval call per counts table gives each figure the interval of its own counts."""
    figures = standard_panel(data, by=["port", "year", "vulnerability"])
    assert len({tuple(figure.by.items()) for figure in figures}) > 10
    counted = [figure for figure in figures if figure.denominator > 0]
    share, lower, upper, method = share_intervals(
        np.asarray([figure.count for figure in counted]),
        np.asarray([figure.denominator for figure in counted]),
    )
    for index, figure in enumerate(counted):
        alone = share_intervals(np.asarray([figure.count]), np.asarray([figure.denominator]))
        assert (figure.share, figure.lower, figure.upper) == (
            float(alone[0][0]),
            float(alone[1][0]),
            float(alone[2][0]),
        ), figure.id
        assert figure.method == str(method[index]) == str(alone[3][0])
        assert (figure.lower, figure.upper) == (float(lower[index]), float(upper[index]))
        assert figure.share == float(share[index])
    empty = [figure for figure in figures if figure.denominator == 0]
    assert all(figure.share is None and figure.note for figure in empty)


def test_each_figure_keeps_its_own_group_and_filter(data: AnalysisData) -> None:
    figures = standard_panel(data, by=["port"])
    ports = [figure for figure in figures if figure.by]
    assert len({id(figure.by) for figure in ports}) == len(ports)  # no dict shared
    for figure in ports:
        assert f"port = {figure.by['port']!r}" in figure.provenance.filter
        assert figure.provenance.filter.startswith(f"{figure.id}: ")
    keys = pd.Series([(figure.id, str(sorted(figure.by.items()))) for figure in figures])
    assert not keys.duplicated().any()
