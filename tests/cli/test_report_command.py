"""``testimonio report evidence|public`` on a simulated snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testimonio.analysis import write_snapshot
from testimonio.analysis.from_simulation import snapshot_tables
from testimonio.simulation import default_config, draw_world

from .conftest import Runner


@pytest.fixture(scope="module")
def snapshot_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapshot") / "small.duckdb"
    tables = snapshot_tables(draw_world(default_config(people=400, seed=5)))
    write_snapshot(tables, path, project="small")
    return path


@pytest.mark.slow
def test_report_public_writes_the_report_and_says_what_it_suppressed(
    run_testimonio: Runner, snapshot_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    result = run_testimonio("report", "public", "--snapshot", str(snapshot_file), "--out",
                            str(out), "--threshold", "5")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "small cells" in result.stdout
    assert {"index.html", "index.es.html", "report.pdf", "feed.xml", "releases.json"} <= {
        path.name for path in out.iterdir()
    }
    assert json.loads((out / "releases.json").read_text())["releases"][0]["threshold"] == 5


@pytest.mark.slow
def test_report_evidence_prints_the_bates_range_and_the_packet_hash(
    run_testimonio: Runner, snapshot_file: Path, tmp_path: Path
) -> None:
    estimate = tmp_path / "estimate.json"
    estimate.write_text(json.dumps([
        {"method": "loglinear", "observed": 300, "estimate": 420, "lower": 380, "upper": 470},
        {"method": "lcmcr", "observed": 300, "estimate": 440, "lower": 390, "upper": 520},
    ]))  # fmt: skip
    result = run_testimonio("report", "evidence", "--snapshot", str(snapshot_file), "--out",
                            str(tmp_path / "packet"), "--bates-prefix", "SMALL",
                            "--estimate", str(estimate))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Bates SMALL-000001 to SMALL-" in result.stdout
    assert "Packet SHA-256: " in result.stdout
    assert (tmp_path / "packet" / "evidence-packet.docx").is_file()


def test_a_bad_bates_prefix_is_one_line_and_exit_code_2(
    run_testimonio: Runner, snapshot_file: Path, tmp_path: Path
) -> None:
    result = run_testimonio("report", "evidence", "--snapshot", str(snapshot_file), "--out",
                            str(tmp_path / "packet"), "--bates-prefix", "no spaces")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Bates prefix" in result.stderr


def test_a_file_that_is_not_a_snapshot_is_refused_with_its_name(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("hello")
    result = run_testimonio("report", "public", "--snapshot", str(bogus), "--out",
                            str(tmp_path / "out"))  # fmt: skip
    assert result.returncode == 2
    assert "notes.duckdb" in result.stderr and "Traceback" not in result.stderr
