"""The simulator's public surface is small, sorted, and every parameter is documented."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import testimonio.simulation
from testimonio.simulation.config import SimulationConfig

DOCS = Path(__file__).parents[2] / "docs" / "simulation.md"


def test_all_is_sorted_and_importable() -> None:
    names = testimonio.simulation.__all__
    assert names == sorted(names)
    assert all(hasattr(testimonio.simulation, name) for name in names)


def test_every_parameter_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [
        field.name
        for field in dataclasses.fields(SimulationConfig)
        if f"`{field.name}`" not in text
    ]
    assert missing == []
