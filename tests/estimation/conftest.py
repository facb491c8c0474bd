"""Fixtures for the estimation tests: the reference data sets of ../shared/reference/mse/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from testimonio.estimation import CaptureHistories, read_capture_histories


def _reference_directory() -> Path:
    # The repository is cloned next to shared/ (here and in CI): <dir>/main and <dir>/shared.
    return Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "mse"


@pytest.fixture(scope="session")
def reference_directory() -> Path:
    directory = _reference_directory()
    if not directory.is_dir():
        pytest.skip(f"reference data not found at {directory} (clone shared/ next to the repo)")
    return directory


@pytest.fixture(scope="session")
def reference(reference_directory: Path) -> Callable[[str], CaptureHistories]:
    def load(name: str) -> CaptureHistories:
        histories = read_capture_histories(reference_directory / f"{name}.csv")
        assert isinstance(histories, CaptureHistories)
        return histories

    return load
