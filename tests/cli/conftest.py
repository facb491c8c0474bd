"""Run the real ``testimonio`` command in a subprocess, against a fresh instance folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_testimonio(tmp_path: Path) -> Runner:
    """Call ``testimonio ARGS`` with TESTIMONIO_HOME in a temporary folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TESTIMONIO_") and key != "DATABASE_URL"
    }
    env["TESTIMONIO_HOME"] = str(tmp_path / "home")

    def run(*args: str, check: bool = False, **variables: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "testimonio", *args],
            capture_output=True,
            text=True,
            env={**env, **variables},
            check=check,
            timeout=300,
        )

    return run
