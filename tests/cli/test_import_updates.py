"""An import that would update existing records shows what changes and needs --allow-updates."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Runner

FIRST = (
    "record_id,first_name,last_name,date_of_birth,sex,port_of_entry\n"
    "R-1,Ana,Pérez,1990-03-02,female,2504-SYS\n"
    "R-2,Luis,Gómez,1985,male,2503-CXW\n"
    "R-3,Eva,Ruiz,1979,female,2504-SYS\n"
)
#: R-1's given name and sex change, R-2's sex; R-3 is the same; R-4 is new.
SECOND = (
    "record_id,first_name,last_name,date_of_birth,sex,port_of_entry\n"
    "R-1,Anabel,Pérez,1990-03-02,male,2504-SYS\n"
    "R-2,Luis,Gómez,1985,female,2503-CXW\n"
    "R-3,Eva,Ruiz,1979,female,2504-SYS\n"
    "R-4,Rosa,Díaz,2001,female,2504-SYS\n"
)


def test_an_import_that_would_update_records_is_refused_with_a_summary_of_fields(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    first, second = tmp_path / "enero.csv", tmp_path / "febrero.csv"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    args = ("--project", "example-turnbacks", "--source", "Lista")
    run_testimonio("import", str(first), *args, check=True)
    before = run_testimonio("audit", "verify", check=True).stdout

    refused = run_testimonio("import", str(second), *args)
    assert refused.returncode == 2
    assert "1 new, 2 updated, 1 unchanged" in refused.stderr
    assert "  sex: changes in 2 records" in refused.stderr
    assert "  given_names: changes in 1 record" in refused.stderr
    error_lines = [line for line in refused.stderr.splitlines() if "--allow-updates" in line]
    assert len(error_lines) == 1 and "nothing was written" in error_lines[0]
    assert "Anabel" not in refused.stderr + refused.stdout and "Traceback" not in refused.stderr
    assert run_testimonio("audit", "verify", check=True).stdout == before  # nothing written

    allowed = run_testimonio("import", str(second), *args, "--allow-updates", check=True)
    assert "1 new, 2 updated, 1 unchanged" in allowed.stdout
    assert "  sex: changed in 2 records" in allowed.stdout
    again = run_testimonio("import", str(second), *args, check=True)  # nothing to update now
    assert "0 new, 0 updated, 4 unchanged" in again.stdout
