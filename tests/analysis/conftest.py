"""Small simulated worlds and their snapshots, shared by the analysis tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.analysis import AnalysisData, Snapshot, analysis_data, load_snapshot
from testimonio.analysis.from_simulation import ReportingStyle, snapshot_tables
from testimonio.analysis.snapshot import write_snapshot
from testimonio.simulation import DrawnWorld, default_config, draw_world


@pytest.fixture(scope="session")
def world() -> DrawnWorld:
    """Every source recalls every tactic, so the snapshot can be compared with the truth."""
    return draw_world(default_config(people=3000, seed=11, tactic_recall=1.0))


@pytest.fixture(scope="session")
def snapshot(world: DrawnWorld, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    tables = snapshot_tables(world, ReportingStyle(month_share=0.2, year_share=0.05,
                                                   named_plaintiffs=2, seed=3))  # fmt: skip
    path = tmp_path_factory.mktemp("snapshot") / "world.duckdb"
    write_snapshot(tables, path, project="simulated", vocabulary_version="turnbacks-1")
    return load_snapshot(path)


@pytest.fixture(scope="session")
def data(snapshot: Snapshot) -> AnalysisData:
    return analysis_data(snapshot)


def written(tmp_path: Path, world: DrawnWorld, name: str = "snapshot.duckdb") -> Path:
    path = tmp_path / name
    write_snapshot(snapshot_tables(world), path, project="simulated")
    return path
