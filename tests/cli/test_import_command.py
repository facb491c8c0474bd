"""`testimonio import`, run as a paralegal would: propose, review, import; bad rows stop it."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.cli.conftest import Runner

GOOD = (
    "record_id,first_name,last_name,date_of_birth,port_of_entry,encounter_date\n"
    "R-1,Ana,Pérez,1990-03-02,2504-SYS,2017-05-14\n"
    "R-2,Luis,Gómez,1985,2503-CXW,2018-06\n"
)
BAD_ROW = "R-3,Eva,Ruiz,1990-02-31,2504-SYS,2017-01-01\n"


def test_a_file_with_a_bad_row_imports_nothing_and_reports_row_and_column(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    data = tmp_path / "lista.csv"
    data.write_text(GOOD + BAD_ROW, encoding="utf-8")
    report = tmp_path / "report.xlsx"
    args = ("import", str(data), "--project", "example-turnbacks", "--source", "Lista")
    result = run_testimonio(*args, "--report", str(report))
    assert result.returncode == 2
    assert "1 row(s) failed validation, so nothing was imported" in result.stderr
    sheet = openpyxl.load_workbook(report).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2:4] == (4, "date_of_birth")
    assert "Eva" not in str(rows)
    imported = run_testimonio(*args, "--skip-invalid", "--report", str(report), check=True)
    assert "2 new, 0 updated, 0 unchanged, 1 left out" in imported.stdout


def test_a_mapping_can_be_saved_for_review_then_used(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    data = tmp_path / "lista.csv"
    data.write_text(GOOD, encoding="utf-8")
    profile = tmp_path / "lista.yaml"
    args = ("import", str(data), "--project", "example-turnbacks", "--source", "Lista")
    proposed = run_testimonio(*args, "--save-mapping", str(profile), check=True)
    assert "review it" in proposed.stdout and profile.exists()
    first = run_testimonio(*args, "--mapping", str(profile), check=True)
    assert "2 new" in first.stdout
    second = run_testimonio(*args, "--mapping", str(profile), check=True)
    assert "0 new, 0 updated, 2 unchanged" in second.stdout
