"""Fixtures of the snapshot tests: one simulated world on disk, imported into a project."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.simulation import WorldSummary
from testimonio.web.cases.models import Project
from tests.web.snapshots.world import ImportedWorld, imported_world, simulate


@pytest.fixture(scope="module")
def world_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WorldSummary]:
    folder = tmp_path_factory.mktemp("world")
    return folder, simulate(folder)


@pytest.fixture
def world(project: Project, world_files: tuple[Path, WorldSummary]) -> ImportedWorld:
    folder, summary = world_files
    return imported_world(project, folder, summary)
