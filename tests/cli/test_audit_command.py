"""``testimonio audit verify`` and ``audit checkpoint``, run as an operator runs them, against
an intruder who edits the SQLite file itself."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

from testimonio.crypto.hash_chain import GENESIS_HASH, chain_hash
from tests.cli.conftest import Runner


def open_database(tmp_path: Path) -> sqlite3.Connection:
    """The instance's database as an intruder with the file opens it: triggers dropped."""
    database = sqlite3.connect(tmp_path / "home" / "db" / "testimonio.sqlite3")
    database.execute("DROP TRIGGER audit_event_no_update")
    database.execute("DROP TRIGGER audit_event_no_delete")
    return database


def test_init_creates_the_audit_keys_privately(run_testimonio: Runner, tmp_path: Path) -> None:
    run_testimonio("init", check=True)
    for name in ("audit.key", "audit-signing.key"):
        assert stat.S_IMODE((tmp_path / "home" / "keys" / name).stat().st_mode) == 0o600
    assert "The audit chain is whole" in run_testimonio("audit", "verify", check=True).stdout


def test_a_checkpoint_is_written_signed_and_verified(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("init", check=True)
    run_testimonio("vocab", "load", check=True)
    out = tmp_path / "checkpoint.json"
    taken = run_testimonio("audit", "checkpoint", "--out", str(out), check=True)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["public_key"] in taken.stdout and document["head"] in taken.stdout
    verified = run_testimonio("audit", "verify", "--checkpoint", str(out), check=True)
    assert f"It holds the checkpoint of {document['at'][:10]}" in verified.stdout
    again = run_testimonio("audit", "checkpoint", "--out", str(out))
    assert again.returncode == 2 and "never overwritten" in again.stderr


def test_deleting_the_last_events_in_the_file_fails_verification(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("init", check=True)
    run_testimonio("vocab", "load", check=True)
    database = open_database(tmp_path)
    with database:
        database.execute(
            "DELETE FROM audit_auditevent WHERE sequence = (SELECT MAX(sequence) FROM "
            "audit_auditevent)"
        )
    result = run_testimonio("audit", "verify")
    assert result.returncode == 1
    assert "cut off the end" in result.stderr and "BROKEN" in result.stderr


def test_a_rewrite_after_a_checkpoint_fails_verify_checkpoint(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("init", check=True)
    run_testimonio("vocab", "load", check=True)
    out = tmp_path / "checkpoint.json"
    run_testimonio("audit", "checkpoint", "--out", str(out), check=True)
    database = open_database(tmp_path)
    with database:  # cut the chain back to its first event, head moved back with it
        first_hash = database.execute(
            "SELECT hash FROM audit_auditevent WHERE sequence = 1"
        ).fetchone()[0]
        database.execute("DELETE FROM audit_auditevent WHERE sequence > 1")
        database.execute(
            "UPDATE audit_audithead SET last_sequence = 1, last_hash = ?", [first_hash]
        )
    result = run_testimonio("audit", "verify", "--checkpoint", str(out))
    assert result.returncode == 1
    assert "shorter than the checkpoint" in result.stderr


def test_an_altered_checkpoint_file_exits_2_with_one_line(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("init", check=True)
    out = tmp_path / "checkpoint.json"
    run_testimonio("audit", "checkpoint", "--out", str(out), check=True)
    document = json.loads(out.read_text(encoding="utf-8"))
    document["events"] += 1
    out.write_text(json.dumps(document), encoding="utf-8")
    result = run_testimonio("audit", "verify", "--checkpoint", str(out))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "signature does not match" in result.stderr


def write_legacy_chain(tmp_path: Path, count: int) -> None:
    """Replace the audit log with one as versions before audit keys wrote it (plain SHA-256,
    unsealed head), and take the audit key away: the instance as it was before the upgrade."""
    database = open_database(tmp_path)
    previous_hash = GENESIS_HASH
    with database:
        database.execute("DELETE FROM audit_auditevent")
        for sequence in range(1, count + 1):
            payload = {
                "sequence": sequence,
                "at": "2026-11-01T12:00:00+00:00",
                "actor_id": None,
                "actor_label": "system",
                "action": "cases.person.create",
                "object_type": "cases.person",
                "object_id": str(sequence),
                "project_id": None,
                "details": {},
            }
            event_hash = chain_hash(previous_hash, payload)
            database.execute(
                "INSERT INTO audit_auditevent (sequence, at, actor_label, action, object_type, "
                "object_id, details, previous_hash, hash) VALUES (?, '2026-11-01 12:00:00', "
                "'system', 'cases.person.create', 'cases.person', ?, '{}', ?, ?)",
                [sequence, str(sequence), previous_hash, event_hash],
            )
            previous_hash = event_hash
        database.execute(
            "UPDATE audit_audithead SET last_sequence = ?, last_hash = ?, keyed_from = NULL, "
            "key_id = '', seal = ''",
            [count, previous_hash],
        )
    (tmp_path / "home" / "keys" / "audit.key").unlink()


def test_init_seals_a_log_from_before_audit_keys_once(
    run_testimonio: Runner, tmp_path: Path
) -> None:
    run_testimonio("init", check=True)
    write_legacy_chain(tmp_path, 4)
    before = run_testimonio("audit", "verify", check=True)  # verifies as it always did
    assert "The audit chain is whole: 4 events verified." in before.stdout
    assert "written before audit keys" in before.stdout
    upgraded = run_testimonio("init", check=True)
    assert "Audit log: 4 earlier events sealed" in upgraded.stdout
    run_testimonio("vocab", "load", check=True)  # keyed events after the legacy ones
    verified = run_testimonio("audit", "verify", check=True)
    assert "The audit chain is whole" in verified.stdout
    assert "sealed" not in run_testimonio("init", check=True).stdout
