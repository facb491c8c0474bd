"""Fixtures of the web import's tests: the simulator's intake log with a canary name."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.simulation import SimulationConfig, generate_world
from tests.web.imports.uploads import CANARY, ROWS_IN_LOG


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    generate_world(SimulationConfig(people=40, sources=4, seed=11), folder)
    return folder


@pytest.fixture(scope="module")
def intake_log(world: Path) -> bytes:
    """The simulator's intake log, the first person's given name replaced by the canary."""
    lines = (world / "legal_aid" / "intake_log.csv").read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    first[header.index("first_name")] = CANARY
    text = "\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n"
    assert text.count("\n") == ROWS_IN_LOG + 1
    return text.encode("utf-8")
