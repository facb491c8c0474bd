"""Class totals: estimate x documented share, both uncertain, against a world's known truth.

The world meets the assumptions: single adults with one attempt each, one tactic rate
everywhere, lists that capture independently of each other and of the tactics (no
heterogeneity, no list dependence), and sources that report every tactic. The population
estimate is the log-linear one from the lists' capture histories, as `testimonio estimate`
makes it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from testimonio.analysis import analysis_data, load_snapshot, standard_panel, write_snapshot
from testimonio.analysis.from_simulation import snapshot_tables
from testimonio.analysis.whole_class import (
    ASSUMPTION,
    PopulationEstimate,
    class_total_lines,
    class_totals,
)
from testimonio.errors import InputError
from testimonio.estimation import capture_histories_from_frame, loglinear_estimate
from testimonio.simulation import DrawnWorld, default_config, draw_world


@pytest.fixture(scope="module")
def world() -> DrawnWorld:
    # Lists that capture everyone alike: no state effects, no minimum age.
    specs = tuple(
        dataclasses.replace(spec, state_log_odds=(), minimum_age=0)
        for spec in default_config().source_specs
    )
    return draw_world(default_config(
        source_specs=specs,
        people=4000, seed=77, unit_single_adult=1.0, unit_couple=0.0, unit_family=0.0,
        unit_unaccompanied_minor=0.0, mean_extra_attempts=0.0,
        metering_start=dt.date(2030, 1, 1), early_metering=(), port_tactic_multipliers=(),
        tactic_recall=1.0, capture_heterogeneity=0.0, list_dependence=(),
        turn_back_log_odds=0.0,
    ))  # fmt: skip


def true_class_totals(world: DrawnWorld) -> dict[str, int]:
    """People (documented or not) turned away who met each tactic, from the truth."""
    encounters = world.encounters
    unit_of_person = world.population.unit
    totals = {}
    for column, code in enumerate(encounters.tactic_codes):
        units = np.unique(encounters.unit[encounters.tactics[:, column]])
        totals[f"tactic:{code}"] = int(np.isin(unit_of_person, units).sum())
    totals["persons_turned_away"] = int((world.turn_backs > 0).sum())
    return totals


def population_estimate(world: DrawnWorld) -> PopulationEstimate:
    documented = world.captured.any(axis=1)
    frame = pd.DataFrame(world.captured[documented].astype(int), columns=world.source_keys)
    histories = capture_histories_from_frame(frame)
    assert not isinstance(histories, dict)
    result = loglinear_estimate(histories)
    assert result.lower is not None and result.upper is not None
    return PopulationEstimate(result.estimate, result.lower, result.upper, result.level)


def test_the_class_total_intervals_cover_the_true_totals(world: DrawnWorld, tmp_path: Path) -> None:
    path = tmp_path / "world.duckdb"
    write_snapshot(snapshot_tables(world), path, project="totals")
    data = analysis_data(load_snapshot(path))
    rows = {row.figure_id: row for row in class_totals(data, [population_estimate(world)])}
    truth = true_class_totals(world)
    tactics = [figure for figure in truth if figure.startswith("tactic:") and truth[figure] > 50]
    assert len(tactics) >= 5
    covered = [rows[f].lower <= truth[f] <= rows[f].upper for f in tactics]
    assert sum(covered) / len(covered) >= 0.8, {f: (rows[f], truth[f]) for f in tactics}
    turned = rows["persons_turned_away"]
    assert turned.lower <= truth["persons_turned_away"] <= turned.upper
    # The class is larger than what was documented, and the interval carries both errors:
    # it is wider, relative to its median, than the share's own interval.
    panel = {f.id: f for f in standard_panel(data) if not f.by}
    for figure in tactics:
        row, share = rows[figure], panel[figure]
        assert row.total > row.documented
        assert share.lower is not None and share.upper is not None and share.share
        assert (row.upper - row.lower) / row.total > (share.upper - share.lower) / share.share


def test_the_output_states_the_representativeness_assumption(world: DrawnWorld,
                                                             tmp_path: Path) -> None:  # fmt: skip
    path = tmp_path / "world.duckdb"
    write_snapshot(snapshot_tables(world), path, project="totals")
    data = analysis_data(load_snapshot(path))
    rows = class_totals(data, [PopulationEstimate(5000, 4500, 5600)], draws=2000)
    lines = class_total_lines(rows)
    assert lines[-1] == ASSUMPTION and "representativeness" in ASSUMPTION
    with pytest.raises(InputError, match="interval"):
        class_totals(data, [PopulationEstimate(5000, 5200, 5600)])
    with pytest.raises(InputError, match="no documented person"):
        class_totals(data, [PopulationEstimate(5000, 4500, 5600, stratum="nowhere")])
