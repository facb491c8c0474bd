"""A snapshot that stores its resolved events gives the same panel as one resolved on reading."""

from __future__ import annotations

from pathlib import Path

from testimonio.analysis import (
    analysis_data,
    figure_rows,
    load_snapshot,
    resolve_events,
    standard_panel,
    write_snapshot,
)
from testimonio.analysis.from_simulation import ReportingStyle, snapshot_tables
from testimonio.simulation import DrawnWorld


def test_stored_events_give_the_same_panel_as_events_resolved_on_reading(
    world: DrawnWorld, tmp_path: Path
) -> None:
    tables = snapshot_tables(world, ReportingStyle(month_share=0.2, seed=8))
    write_snapshot(tables, tmp_path / "reports.duckdb", project="p")
    resolution = resolve_events(tables["encounters"], tables["records"])
    tables |= {"events": resolution.events, "event_reports": resolution.event_reports}
    write_snapshot(tables, tmp_path / "events", project="p")
    panels = [
        figure_rows(standard_panel(analysis_data(load_snapshot(path)), by=["port", "nationality"]))
        for path in (tmp_path / "reports.duckdb", tmp_path / "events")
    ]
    assert panels[0] == panels[1]
    assert len(panels[0]) > 100
