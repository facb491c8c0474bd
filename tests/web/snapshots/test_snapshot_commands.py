"""`testimonio snapshot` and `testimonio analyze` on a project: the files they write, the JSON
they print, the run they record, and one clear line (exit code 2) for a project or stratum
with no one to count."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from testimonio.analysis import load_snapshot
from testimonio.cli.main import cli
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.snapshots.models import AnalysisRun
from tests.web.snapshots.world import ImportedWorld, import_world

pytestmark = pytest.mark.django_db
FIGURE_KEYS = {"id", "by", "count", "denominator", "share", "lower", "upper", "level", "provenance"}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_snapshot_writes_a_file_that_loads(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "project.duckdb"
    result = CliRunner().invoke(cli, ["snapshot", "--project", project.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    snapshot = load_snapshot(out)
    assert snapshot.manifest["project"] == project.slug
    assert snapshot.sha256 in result.output
    assert AuditEvent.objects.filter(action="analysis.snapshot.write").count() == 1


def test_snapshot_refuses_a_path_that_exists(project: Project, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["snapshot", "--project", project.slug, "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


def test_analyze_json_is_a_list_of_figures_with_provenance(
    world: ImportedWorld, project: Project
) -> None:
    result = CliRunner().invoke(
        cli, ["analyze", "--project", project.slug, "--by", "port", "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert all(set(figure) >= FIGURE_KEYS for figure in figures)
    whole = {figure["id"]: figure for figure in figures if figure["by"] == {}}
    assert whole["persons_turned_away"]["denominator"] == world.summary.documented_people
    assert {"port"} == {key for figure in figures for key in figure["by"]}
    run = AnalysisRun.objects.get(project=project)
    assert whole["persons_turned_away"]["provenance"]["snapshot_sha256"] == run.input_hash
    assert run.settings["by"] == ["port"] and run.package_versions["duckdb"] != "unknown"
    assert run.figures == len(figures)


def test_analyze_prints_the_panel_as_a_table(world: ImportedWorld, project: Project) -> None:
    result = CliRunner().invoke(cli, ["analyze", "--project", project.slug])
    assert result.exit_code == 0, result.output
    line = next(row for row in result.stdout.splitlines() if row.startswith("persons_turned_away "))
    assert f"{world.summary.documented_people:>8,}" in line and "[" in line


def test_analyze_writes_every_table_to_xlsx(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "tables.xlsx"
    args = ["analyze", "--project", project.slug, "--by", "nationality", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert set(book.sheetnames) == {
        "panel", "breakdowns", "disparities", "commonality", "consistency", "typicality",
    }  # fmt: skip
    header = [cell.value for cell in next(book["panel"].iter_rows(max_row=1))]
    assert {"id", "count", "denominator", "share", "lower", "upper"} <= set(header)
    assert book["disparities"].max_row > 1


def test_analyze_of_an_existing_snapshot_reads_it(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "snap"
    assert invoke("snapshot", "--project", project.slug, "--out", str(out)).exit_code == 0
    result = CliRunner().invoke(
        cli, ["analyze", "--project", project.slug, "--snapshot", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["provenance"]["snapshot_sha256"] == (
        load_snapshot(out).sha256
    )


def _one_line_error(result: Result, text: str) -> None:
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and text in lines[0], lines
    assert "Traceback" not in result.output


def test_an_empty_project_is_one_line_exit_2(project: Project) -> None:
    _one_line_error(invoke("analyze", "--project", project.slug), "has no records")


def test_a_project_never_linked_is_one_line_exit_2(
    project: Project, world_files: tuple[Path, object], tmp_path: Path
) -> None:
    import_world(project, world_files[1])  # type: ignore[arg-type]
    _one_line_error(invoke("analyze", "--project", project.slug), "never been linked")
    _one_line_error(
        invoke("snapshot", "--project", project.slug, "--out", str(tmp_path / "never.duckdb")),
        "never been linked",
    )


def test_a_stratum_with_no_one_is_one_line_exit_2(world: ImportedWorld, project: Project) -> None:
    result = invoke("analyze", "--project", project.slug, "--where", "port=9999-NONE")
    _one_line_error(result, "no one in the stratum port=9999-NONE")
    assert not AnalysisRun.objects.exists()


def test_a_malformed_stratum_is_one_line_exit_2(project: Project) -> None:
    _one_line_error(invoke("analyze", "--project", project.slug, "--where", "port"), "--where")


def test_the_command_offers_every_breakdown_the_panel_knows() -> None:
    from testimonio.analysis import BY_FIELDS
    from testimonio.cli.analyze import BY_CHOICES

    assert BY_CHOICES == BY_FIELDS  # spelled out so `--help` needs no pandas
