"""The methods appendix's table of how the counts depend on linkage."""

from __future__ import annotations

import pandas as pd

from testimonio.analysis.linkage_sensitivity import COLUMNS, SENSITIVITY_FIGURES
from testimonio.reporting.packet.appendix import linkage_sensitivity_table


def _table() -> pd.DataFrame:
    rows = []
    for threshold, persons in ((0.5, 90), (0.9, 100), (0.99, 120)):
        for figure_id in SENSITIVITY_FIGURES:
            denominator = 0 if figure_id == "persons" else persons
            rows.append({
                "threshold": threshold, "own": threshold == 0.9, "id": figure_id,
                "count": persons if figure_id == "persons" else persons // 2,
                "denominator": denominator, "share": None, "lower": None, "upper": None,
                "level": 0.95, "method": "",
            })  # fmt: skip
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_one_row_per_threshold_with_the_runs_marked() -> None:
    table, note = linkage_sensitivity_table(_table())
    assert table is not None
    assert [row[0] for row in table.rows] == ["0.50", "0.90 (the run's)", "0.99"]
    assert table.rows[1][1:3] == ("100", "50 of 100")
    assert "run's own threshold gives the figures of this packet" in note


def test_a_snapshot_without_alternatives_is_said_not_measured() -> None:
    table, note = linkage_sensitivity_table(None)
    assert table is None
    assert "was not measured" in note
