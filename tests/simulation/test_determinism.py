"""The same seed gives the same world, byte for byte; another seed gives another world."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.simulation.config import default_config
from testimonio.simulation.world import generate_world


def all_files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_the_same_seed_writes_identical_files(tmp_path: Path) -> None:
    config = default_config(people=600, seed=5, max_declaration_documents=6)
    generate_world(config, tmp_path / "first")
    generate_world(config, tmp_path / "second")
    first, second = all_files(tmp_path / "first"), all_files(tmp_path / "second")
    assert first.keys() == second.keys()
    assert any(name.endswith(".pdf") for name in first) and any(
        name.endswith(".xlsx") for name in first
    )
    assert [name for name in first if first[name] != second[name]] == []


def test_another_seed_writes_another_world(tmp_path: Path) -> None:
    generate_world(default_config(people=300, seed=1, sources=3), tmp_path / "one")
    generate_world(default_config(people=300, seed=2, sources=3), tmp_path / "two")
    for name in ("truth/people.csv", "legal_aid/intake_log.csv"):
        assert (tmp_path / "one" / name).read_bytes() != (tmp_path / "two" / name).read_bytes()
