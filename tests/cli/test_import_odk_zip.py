"""`testimonio import export.zip`: ODK Central's ZIP download imports as it is, or not at all."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from tests.cli.conftest import Runner
from tests.cli.test_import_command import audit_events
from tests.ingest.test_odk_zip import ATTEMPTS_PER_RECORD, PROFILE_YAML, bad_zips, odk_export

PROJECT = ("--project", "example-turnbacks", "--source", "Field survey")


def test_an_odk_zip_imports_one_encounter_per_repeat_row(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    export, profile = tmp_path / "export.zip", tmp_path / "odk.yaml"
    export.write_bytes(odk_export())
    profile.write_text(PROFILE_YAML, encoding="utf-8")
    args = ("import", str(export), *PROJECT, "--mapping", str(profile))
    first = run_testimonio(*args, check=True)
    assert "Read export.zip: odk, utf-8; 3 rows, 0 problems." in first.stdout
    assert "3 new, 0 updated, 0 unchanged, 0 left out" in first.stdout
    assert "note:" in first.stderr and "media" in first.stderr  # what was left out, said
    again = run_testimonio(*args, check=True)
    assert "0 new, 0 updated, 3 unchanged" in again.stdout

    out = tmp_path / "records.csv"
    # The row numbers are sealed provenance: only the export with identities carries them.
    run_testimonio(
        "export",
        "--project",
        "example-turnbacks",
        "--identities",
        "--reason",
        "check rows",
        str(out),
        check=True,
    )
    rows = [
        row
        for row in csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())
        if row["source"] == "Field survey"
    ]
    assert len({row["record"] for row in rows}) == 3  # every record, even without one
    encounters = Counter(row["row"] for row in rows if row["encounter"])
    # Rows 2, 3, 4 of the form's CSV are the submissions uuid:a1, uuid:b2, uuid:c3.
    assert {row: encounters[row] for row in ("2", "3", "4")} == dict(
        zip(("2", "3", "4"), ATTEMPTS_PER_RECORD.values(), strict=True)
    )
    assert sorted(row["port"] for row in rows if row["encounter"]) == [
        "2503-CXW",
        "2504-SYS",
        "2504-SYS",
    ]


def test_each_bad_zip_gives_one_line_and_leaves_the_database_untouched(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    profile = tmp_path / "odk.yaml"
    profile.write_text(PROFILE_YAML, encoding="utf-8")
    before = audit_events(run_testimonio)
    for name, data in bad_zips().items():
        path = tmp_path / name
        path.write_bytes(data)
        result = run_testimonio("import", str(path), *PROJECT, "--mapping", str(profile))
        assert result.returncode == 2, name
        error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(error_lines) == 1 and name in error_lines[0], (name, result.stderr)
        assert "Traceback" not in result.stderr, name
    assert audit_events(run_testimonio) == before
