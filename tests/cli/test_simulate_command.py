"""`testimonio simulate` writes a world with its truth, and refuses bad arguments with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from testimonio.cli.main import cli


def test_it_writes_the_sources_and_the_truth(tmp_path: Path) -> None:
    out = tmp_path / "world"
    args = ["simulate", "--people", "400", "--sources", "3", "--seed", "4", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "truth" / "summary.json").read_text(encoding="utf-8"))
    assert summary["population_size"] == 400
    assert list(summary["lists"]) == ["legal_aid", "shelter_survey", "partner_spreadsheet"]
    assert (out / "shelter_survey" / "kobo_export.csv").exists()
    assert "400 people" in result.output


def test_quiet_prints_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["simulate", "-n", "200", "-k", "1", "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code == 0 and result.output == ""


def test_a_population_of_zero_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["simulate", "--people", "0", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--people" in result.output


def test_more_sources_than_it_knows_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["simulate", "--sources", "7", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--sources" in result.output


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["simulate", "--out", str(target)])
    assert result.exit_code == 2 and "taken" in result.output


def test_help_explains_the_contract() -> None:
    result = CliRunner().invoke(cli, ["simulate", "--help"])
    assert result.exit_code == 0
    for option in ("--people", "--sources", "--seed", "--out", "truth"):
        assert option in result.output
