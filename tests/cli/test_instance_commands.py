"""The foundation commands, run as a user runs them: init, vocab, demo, help and bad input."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from tests.cli.conftest import Runner


def test_help_lists_the_commands(run_testimonio: Runner) -> None:
    result = run_testimonio("--help", check=True)
    for command in ("init", "serve", "vocab", "demo"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), command


def test_an_unknown_command_exits_2_with_one_line(run_testimonio: Runner) -> None:
    result = run_testimonio("frobnicate")
    assert result.returncode == 2
    assert "No such command 'frobnicate'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_init_creates_private_keys_and_shows_the_admin_password_once(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    first = run_testimonio("init", check=True)
    assert re.search(r"password: \S{16,}", first.stdout)
    home = tmp_path / "home"
    keys = ("master.key", "audit.key", "audit-signing.key")
    for secret in (
        home / "secret_key",
        home / "db" / "testimonio.sqlite3",
        *(home / "keys" / k for k in keys),
    ):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600, secret
    for folder in (home, home / "keys", home / "db", home / "ledger", home / "documents"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    key_before = (home / "keys" / "master.key").read_text()
    second = run_testimonio("init", check=True)
    assert "password" not in second.stdout
    assert (home / "keys" / "master.key").read_text() == key_before


def test_vocab_load_list_and_show(run_testimonio: Runner) -> None:
    run_testimonio("init", check=True)
    loaded = run_testimonio("vocab", "load", check=True)
    assert "Loaded turnbacks v1 (178 terms)" in loaded.stdout
    assert "Already loaded" in run_testimonio("vocab", "load", check=True).stdout
    listing = run_testimonio("vocab", "list", "--scheme", "FEAR", "--lang", "es", check=True)
    assert all(
        line.lstrip().startswith(("FEAR", "turnbacks")) for line in listing.stdout.splitlines()
    )
    shown = run_testimonio("vocab", "show", "TAC.THREAT.FAMILY_SEP", check=True)
    assert "Español:" in shown.stdout and "Definition:" in shown.stdout


def test_vocab_show_of_an_unknown_code_exits_2_with_one_line(run_testimonio: Runner) -> None:
    run_testimonio("init", check=True)
    run_testimonio("vocab", "load", check=True)
    result = run_testimonio("vocab", "show", "TAC.NOPE")
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: there is no code TAC.NOPE in turnbacks v1"


def test_vocab_list_before_loading_says_what_to_do(run_testimonio: Runner) -> None:
    run_testimonio("init", check=True)
    result = run_testimonio("vocab", "list")
    assert result.returncode == 2 and "run `testimonio vocab load`" in result.stderr


def test_a_bad_option_value_exits_2(run_testimonio: Runner) -> None:
    result = run_testimonio("serve", "--port", "99999")
    assert result.returncode == 2 and "99999" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_malformed_setting_exits_2_naming_the_variable(run_testimonio: Runner) -> None:
    result = run_testimonio("init", TESTIMONIO_DEBUG="perhaps")
    assert result.returncode == 2 and "TESTIMONIO_DEBUG='perhaps'" in result.stderr


def test_demo_builds_an_instance_with_an_example_project(run_testimonio: Runner) -> None:
    result = run_testimonio("demo", "--skip-world", check=True)
    assert "Example project" in result.stdout and "http://127.0.0.1:8000/" in result.stdout
    again = run_testimonio("demo", "--skip-world", check=True)
    assert "password" not in again.stdout


def test_demo_runs_the_pipeline_on_a_synthetic_world_and_compares_with_truth(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    import json

    import openpyxl

    result = run_testimonio("demo", "--people", "300", "--seed", "5", check=True)
    assert "1/4 Simulating" in result.stdout and "4/4 Estimating" in result.stdout
    assert "legal_aid: " in result.stdout and " new, 0 updated" in result.stdout
    results = tmp_path / "home" / "demo"
    estimates = json.loads((results / "estimates.json").read_text())
    truth = json.loads((results / "world" / "truth" / "summary.json").read_text())
    assert estimates["truth_ever_turned_away"] == truth["ever_turned_away"]
    assert estimates["people_linked"] > 0
    assert {e["method"] for e in estimates["estimates"]} >= {"loglinear-stepwise", "dga"}
    for estimate in estimates["estimates"]:
        assert estimate["estimate"] >= estimates["people_linked"]
    assert "uncertain pairs wait in the review queue" in result.stdout
    assert "Span of the panel's intervals" in result.stdout
    export = openpyxl.load_workbook(results / "records.xlsx", read_only=True).active
    assert export is not None
    header, *rows = list(export.iter_rows(values_only=True))
    assert header[0] == "person" and "surnames" not in header  # pseudonymous
    people = {row[0] for row in rows}
    assert len(people) == estimates["people_linked"]  # the project's persons after linkage
    runs = run_testimonio("audit", "verify", check=True)  # linkage and estimates were audited
    assert "whole" in runs.stdout


def test_audit_verify_reports_a_whole_chain_and_names_a_tampered_event(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    import sqlite3

    run_testimonio("demo", "--skip-world", check=True)
    whole = run_testimonio("audit", "verify", check=True)
    assert "The audit chain is whole" in whole.stdout
    database = sqlite3.connect(tmp_path / "home" / "db" / "testimonio.sqlite3")
    with database:
        database.execute("DROP TRIGGER audit_event_no_update")
        database.execute("UPDATE audit_auditevent SET actor_label = 'nobody' WHERE sequence = 3")
    database.close()
    broken = run_testimonio("audit", "verify")
    assert broken.returncode == 1
    assert "event #3: was altered after it was written" in broken.stderr


def test_keys_rotate_then_deleting_the_old_key_keeps_the_demo_readable(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    rotated = run_testimonio("keys", "rotate", "--yes", check=True)
    assert "re-sealed 3 identities" in rotated.stdout
    retired = list((tmp_path / "home" / "keys").glob("*.retired"))
    assert len(retired) == 1
    retired[0].unlink()
    status = run_testimonio("keys", "status", check=True)
    assert "Retired" not in status.stdout
    assert run_testimonio("audit", "verify").returncode == 0
    assert run_testimonio("custody", "verify").returncode == 0  # documents were re-wrapped


def test_people_erase_refuses_under_legal_hold_then_erases_into_a_private_ledger(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    project = ("--project", "example-turnbacks")
    run_testimonio("people", "hold", *project, "--reason", "case open", "P-000001", check=True)
    refused = run_testimonio("people", "erase", *project, "--reason", "asked", "P-000001")
    assert refused.returncode == 2 and "legal hold" in refused.stderr
    run_testimonio(
        "people", "hold", "--release", *project, "--reason", "closed", "P-000001", check=True
    )
    erased = run_testimonio("people", "erase", *project, "--reason", "asked", "P-000001")
    assert erased.returncode == 0 and "data keys destroyed" in erased.stdout
    ledger = tmp_path / "home" / "ledger" / "erasures.ledger"
    assert stat.S_IMODE(ledger.stat().st_mode) == 0o600
    unknown = run_testimonio("people", "erase", *project, "--reason", "x", "P-999999")
    assert unknown.returncode == 2 and "no person P-999999" in unknown.stderr


def test_custody_verify_passes_then_names_a_damaged_document(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    assert "1 documents match" in run_testimonio("custody", "verify", check=True).stdout
    [stored] = [p for p in (tmp_path / "home" / "documents").rglob("*") if p.is_file()]
    data = bytearray(stored.read_bytes())
    data[-5] ^= 0x01
    stored.write_bytes(bytes(data))
    broken = run_testimonio("custody", "verify")
    assert broken.returncode == 1 and "altered" in broken.stderr


def test_init_refuses_a_new_master_key_when_the_database_holds_data_sealed_under_the_lost_one(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    key_file = tmp_path / "home" / "keys" / "master.key"
    key_file.unlink()
    result = run_testimonio("init")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no new key was made" in result.stderr
    assert "restore the key file from its backup" in result.stderr
    assert "Traceback" not in result.stderr
    assert not key_file.exists()


def test_init_refuses_a_new_audit_key_when_the_chain_is_already_keyed(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    key_file = tmp_path / "home" / "keys" / "audit.key"
    key_file.unlink()
    result = run_testimonio("init")
    assert result.returncode == 2
    assert "audit key file" in result.stderr and "no new key was made" in result.stderr
    assert not key_file.exists()


def test_a_missing_master_key_says_how_to_recover_not_to_run_init(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("demo", "--skip-world", check=True)
    (tmp_path / "home" / "keys" / "master.key").unlink()
    result = run_testimonio("keys", "rotate", "--yes")
    assert result.returncode == 2
    assert "restore the key file from its backup" in result.stderr
    assert "Run `testimonio init`" not in result.stderr


def test_init_keeps_an_older_instances_database_in_place_and_makes_it_private(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    run_testimonio("init", check=True)
    (home / "db" / "testimonio.sqlite3").rename(home / "testimonio.sqlite3")
    (home / "db").rmdir()
    (home / "testimonio.sqlite3").chmod(0o644)  # as instances before the layout had it
    again = run_testimonio("init", check=True)
    assert str(home / "testimonio.sqlite3") in again.stdout
    assert not (home / "db" / "testimonio.sqlite3").exists()
    assert stat.S_IMODE((home / "testimonio.sqlite3").stat().st_mode) == 0o600


def test_serve_refuses_to_start_when_the_database_is_readable_by_others(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("init", check=True)
    (tmp_path / "home" / "db" / "testimonio.sqlite3").chmod(0o644)
    result = run_testimonio("serve", "--port", "8765")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "testimonio.sqlite3 (0o644) can be read by group or others" in result.stderr
