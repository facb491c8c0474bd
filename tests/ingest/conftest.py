"""Shared fixtures for ingest tests: the vocabulary, the reference fixtures and a small world."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.simulation import SimulationConfig, generate_world
from testimonio.vocab.bundle import Bundle, bundled_path, read_bundle
from tests.reference import FIXTURES


@pytest.fixture(scope="session")
def vocabulary() -> Bundle:
    return read_bundle(bundled_path())


@pytest.fixture(scope="session")
def fixtures_folder() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated world of 300 people: every kind of file the organisations hold."""
    folder = tmp_path_factory.mktemp("world")
    generate_world(SimulationConfig(people=300, sources=4, seed=11), folder)
    return folder
