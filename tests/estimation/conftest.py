"""Fixtures for the estimation tests: the reference data sets of tests/reference/mse/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from testimonio.estimation import CaptureHistories, read_capture_histories
from tests.reference import MSE


@pytest.fixture(scope="session")
def reference_directory() -> Path:
    return MSE


@pytest.fixture(scope="session")
def reference(reference_directory: Path) -> Callable[[str], CaptureHistories]:
    def load(name: str) -> CaptureHistories:
        histories = read_capture_histories(reference_directory / f"{name}.csv")
        assert isinstance(histories, CaptureHistories)
        return histories

    return load
