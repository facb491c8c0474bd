"""`testimonio demo` ends with the synthetic world's analysis snapshot and its standard panel."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.analysis import load_snapshot
from tests.cli.conftest import Runner


@pytest.mark.slow
def test_the_demo_ends_with_the_snapshot_and_the_panel(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    result = run_testimonio("demo", "--people", "200", check=True)
    lines = result.stdout.splitlines()
    snapshot_line = next(line for line in lines if line.startswith("Analysis snapshot: "))
    path = Path(snapshot_line.removeprefix("Analysis snapshot: ").split(" (SHA-256")[0])
    assert path == tmp_path / "home" / "demo" / "snapshot.duckdb"
    snapshot = load_snapshot(path)
    assert snapshot.manifest["project"] == "synthetic-world"
    people = snapshot.manifest["tables"]["persons"]["rows"]
    panel = next(line for line in lines if line.startswith("persons_turned_away "))
    count, denominator = (int(value.replace(",", "")) for value in panel.split()[2:4])
    assert 0 < count <= denominator <= people  # of persons with an event
    assert "%  [" in panel  # a share with its interval
    assert lines[-1].startswith("Explore it: testimonio analyze --project synthetic-world")
