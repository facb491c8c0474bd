"""`testimonio demo` ends with the snapshot, its panel, the evidence packet and the report."""

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
    assert any(line.startswith("Explore it: testimonio analyze --project synthetic-world")
               for line in lines)  # fmt: skip
    demo = tmp_path / "home" / "demo"
    packet_line = next(line for line in lines if line.startswith("Evidence packet: "))
    assert "TESTIMONIO-000001 to TESTIMONIO-" in packet_line
    for name in ("evidence-packet.docx", "evidence-packet.pdf", "evidence-packet-tables.xlsx"):
        assert (demo / "packet" / name).stat().st_size > 0, name
    assert lines[-1].startswith("Public report (a draft until an attorney approves it): ")
    for name in ("index.html", "index.es.html", "report.pdf", "feed.xml"):
        assert (demo / "public" / name).stat().st_size > 0, name
    assert list((demo / "public" / "tables").glob("*.csv"))
    assert not any(line.startswith("Running HiGHS") for line in lines)
    # the declarations step: what it says it read is in the snapshot, as is the review queue
    said = next(line for line in lines if line.startswith("    Declarations: "))
    read = int(said.split()[1])
    declarations = snapshot.manifest["tables"].get("declarations", {"rows": 0})["rows"]
    assert declarations == read
    queued = next(line for line in lines if "uncertain pairs wait" in line)
    pairs = snapshot.sql("SELECT sum(pairs) FROM linkage_review").fetchall()[0][0]
    assert pairs == int(queued.split("people; ")[1].split()[0].replace(",", ""))
