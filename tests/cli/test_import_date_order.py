"""`testimonio import` refuses a date column that reads both ways until the order is given."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Runner

AMBIGUOUS = "record_id,first_name,encounter_date\nR-1,Ana,03/09/2017\nR-2,Luis,04/10/2017\n"


def test_an_ambiguous_date_column_needs_date_order_or_the_profile(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    data = tmp_path / "lista.csv"
    data.write_text(AMBIGUOUS, encoding="utf-8")
    args = ("import", str(data), "--project", "example-turnbacks", "--source", "Lista")
    refused = run_testimonio(*args)
    assert refused.returncode == 2
    error = refused.stderr.strip().splitlines()[-1]
    assert "'encounter_date'" in error and "--date-order" in error
    assert "Traceback" not in refused.stderr

    profile = tmp_path / "lista.yaml"
    run_testimonio(*args, "--save-mapping", str(profile), check=True)
    assert run_testimonio(*args, "--mapping", str(profile)).returncode == 2  # still open
    profile.write_text(
        profile.read_text(encoding="utf-8").replace(
            "column: encounter_date", "column: encounter_date\n    date_order: MDY"
        ),
        encoding="utf-8",
    )
    imported = run_testimonio(*args, "--mapping", str(profile), check=True)
    assert "2 new" in imported.stdout


def test_date_order_on_the_command_line_confirms_it(run_testimonio: Runner, tmp_path: Path) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    data = tmp_path / "lista.csv"
    data.write_text(AMBIGUOUS, encoding="utf-8")
    args = ("import", str(data), "--project", "example-turnbacks", "--source", "Lista")
    imported = run_testimonio(*args, "--date-order", "DMY", check=True)
    assert "2 new" in imported.stdout
