"""`testimonio export`: pseudonymous unless asked, refuses to overwrite, audited."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.cli.conftest import Runner
from tests.cli.test_import_command import GOOD, audit_events


def test_export_is_pseudonymous_unless_identities_are_asked_for(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    data = tmp_path / "lista.csv"
    data.write_text(GOOD, encoding="utf-8")
    run_testimonio(
        "import", str(data), "--project", "example-turnbacks", "--source", "Lista", check=True
    )
    before = audit_events(run_testimonio)
    out = tmp_path / "export.csv"
    done = run_testimonio("export", "--project", "example-turnbacks", str(out), check=True)
    assert "Exported" in done.stdout
    text = out.read_text(encoding="utf-8-sig")
    assert "Pérez" not in text and "Gómez" not in text
    rows = list(csv.DictReader(text.splitlines()))
    assert {row["port"] for row in rows if row["source"] == "Lista"} == {"2504-SYS", "2503-CXW"}
    assert audit_events(run_testimonio) == before + 1

    refused = run_testimonio("export", "--project", "example-turnbacks", str(out))
    assert refused.returncode == 2 and "--overwrite" in refused.stderr

    unexplained = run_testimonio(
        "export", "--project", "example-turnbacks", "--with-identities", "--overwrite", str(out)
    )
    assert unexplained.returncode == 2 and "--reason" in unexplained.stderr
    assert "Pérez" not in out.read_text(encoding="utf-8-sig")
    named = run_testimonio(
        "export",
        "--project",
        "example-turnbacks",
        "--with-identities",
        "--reason",
        "filing",
        "--overwrite",
        str(out),
    )
    assert named.returncode == 0, named.stderr
    assert "names people" in named.stderr
    assert "Pérez" in out.read_text(encoding="utf-8-sig")


def test_export_refuses_an_unknown_format_and_project(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("init", check=True)
    wrong = run_testimonio("export", "--project", "x", str(tmp_path / "out.pdf"))
    assert wrong.returncode == 2 and ".csv or .xlsx" in wrong.stderr
    missing = run_testimonio("export", "--project", "nope", str(tmp_path / "out.csv"))
    assert missing.returncode == 2 and "no project 'nope'" in missing.stderr
