"""The restore drill, run as an operator runs it: back up, erase, restore elsewhere, verify.

A small simulated world is imported into a demo instance; the backup must hide every name in
it, never carry the master key, restore only into an empty instance, and a person erased after
the backup must stay erased in the restored instance.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyrage
import pytest

from testimonio.ingest.mapping import save_mapping
from testimonio.ingest.readers import read_path
from testimonio.simulation import reviewed_mapping
from testimonio.vocab.bundle import bundled_path, read_bundle

pytestmark = pytest.mark.slow

ERASED, KEPT = "P-000010", "P-000011"

PROBE = """
import sys
from testimonio.web.setup import setup_django
setup_django()
from testimonio.web.keys.identity import open_identity
from testimonio.web.cases.models import Person, Record, RecordIdentity
for pseudonym in sys.argv[1:]:
    person = Person.objects.get(pseudonym=pseudonym)
    sealed = RecordIdentity.objects.filter(record__person=person).count()
    record = Record.objects.get(person=person)
    name = open_identity(record).given_names if sealed else ""
    print(pseudonym, person.erased_at is not None, sealed, len(name) > 0)
"""


@dataclass
class Drill:
    """The old instance, its backup and the key pair the backup is encrypted to."""

    folder: Path
    env: dict[str, str]
    backup: Path
    identity: Path
    names: list[str]

    def run(self, *args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {**self.env, "TESTIMONIO_HOME": str(home or self.folder / "home")}
        command = [sys.executable, "-m", "testimonio", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)

    def probe(self, home: Path, *pseudonyms: str) -> list[str]:
        env = {**self.env, "TESTIMONIO_HOME": str(home)}
        command = [sys.executable, "-c", PROBE, *pseudonyms]
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        return result.stdout.splitlines()

    def new_home(self, name: str) -> Path:
        """An empty instance folder holding only the old instance's keys (never in backups)."""
        home = self.folder / name
        home.mkdir(parents=True)
        shutil.copytree(self.folder / "home" / "keys", home / "keys")  # master and audit keys
        return home


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Drill:
    folder = tmp_path_factory.mktemp("drill")
    identity = pyrage.x25519.Identity.generate()
    (folder / "identity.txt").write_text(f"# backup key\n{identity}\n", encoding="ascii")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TESTIMONIO_") and key != "DATABASE_URL"
    }
    env["TESTIMONIO_BACKUP_RECIPIENT"] = str(identity.to_public())
    made = Drill(folder, env, folder / "nightly.age", folder / "identity.txt", [])
    for args in (
        ("demo", "--skip-world"),
        ("simulate", "--people", "200", "--sources", "2", "--seed", "3", "--out", "world"),
    ):
        made.run(*[str(folder / a) if a == "world" else a for a in args]).check_returncode()
    intake_log = folder / "world" / "legal_aid" / "intake_log.csv"
    profile = folder / "legal_aid.yaml"  # its wordings mapped, as the team's review would
    save_mapping(reviewed_mapping(read_path(intake_log).table(), read_bundle(bundled_path()),
                                  "legal_aid"), profile)  # fmt: skip
    made.run(
        "import", str(intake_log), "--project", "example-turnbacks", "--source", "legal_aid",
        "--mapping", str(profile), "--skip-invalid", "--report", str(folder / "report.xlsx"),
    ).check_returncode()  # fmt: skip
    with intake_log.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    made.names = [row[column] for row in rows for column in ("first_name", "last_name")]
    made.run("backup", "--out", str(made.backup)).check_returncode()
    return made


def test_the_backup_summary_lists_the_database_and_the_documents(drill: Drill) -> None:
    again = drill.run("backup", "--out", str(drill.folder / "again.age"))
    assert again.returncode == 0, again.stderr
    assert "Database: sqlite" in again.stdout and "Documents: 1 sealed files" in again.stdout
    assert not list(drill.folder.glob("*.partial"))


def test_no_name_of_the_world_is_readable_in_the_backup_file(drill: Drill) -> None:
    raw = drill.backup.read_bytes()
    long_names = {part for name in drill.names for part in name.split() if len(part) >= 6}
    assert len(long_names) > 20
    assert any(name.encode() in (drill.folder / "world" / "legal_aid" / "intake_log.csv")
               .read_bytes() for name in long_names)  # fmt: skip
    for name in long_names:
        assert name.encode() not in raw and name.upper().encode() not in raw
    for plain in (b"SQLite format 3", b"cases_record", b"manifest.json", b"Ejemplo"):
        assert plain not in raw
    assert raw.startswith(b"age-encryption.org/v1")


def test_the_master_key_and_the_secret_key_are_never_in_a_backup(drill: Drill) -> None:
    identity = pyrage.x25519.Identity.from_str(drill.identity.read_text().split()[-1])
    archive = pyrage.decrypt(drill.backup.read_bytes(), [identity])
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        names = tar.getnames()
    assert names[0] == "database/testimonio.sqlite3" and names[-1] == "manifest.json"
    assert not [name for name in names if "key" in name or "secret" in name]
    home = drill.folder / "home"
    for secret in (home / "keys" / "master.key", home / "keys" / "audit.key", home / "secret_key"):
        assert secret.read_text().strip().encode() not in archive


def test_a_restore_after_an_erasure_keeps_the_person_erased_and_verifies(drill: Drill) -> None:
    erased = drill.run("people", "erase", "--project", "example-turnbacks", "--reason",
                       "asked to be forgotten", ERASED)  # fmt: skip
    assert erased.returncode == 0, erased.stderr
    home = drill.new_home("restored")
    ledger = drill.folder / "home" / "ledger" / "erasures.ledger"
    restored = drill.run(
        "restore", str(drill.backup), "--identity", str(drill.identity),
        "--erasure-ledger", str(ledger), home=home,
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert "Restored and verified" in restored.stdout
    assert "erasures re-applied: 1 data keys destroyed" in restored.stdout
    assert drill.probe(home, ERASED, KEPT) == [f"{ERASED} True 0 False", f"{KEPT} False 1 True"]
    assert drill.run("audit", "verify", home=home).returncode == 0
    assert drill.run("custody", "verify", home=home).returncode == 0


def test_a_restore_into_an_instance_that_is_not_empty_is_refused(drill: Drill) -> None:
    result = drill.run("restore", str(drill.backup), "--identity", str(drill.identity))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: The instance at {drill.folder / 'home'} is not empty: restore only into a new "
        "instance (a new TESTIMONIO_HOME and an empty database)."
    ]


def test_a_restore_with_the_wrong_identity_exits_2_and_writes_nothing(drill: Drill) -> None:
    wrong = drill.folder / "wrong.txt"
    wrong.write_text(f"{pyrage.x25519.Identity.generate()}\n", encoding="ascii")
    home = drill.new_home("wrong-key")
    result = drill.run("restore", str(drill.backup), "--identity", str(wrong), home=home)
    assert result.returncode == 2 and "Cannot decrypt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (
        not (home / "db" / "testimonio.sqlite3").exists()
        or (home / "db" / "testimonio.sqlite3").stat().st_size == 0
    )
    assert not any(path.is_file() for path in (home / "documents").rglob("*"))


def test_a_restore_without_the_master_key_says_where_to_put_it(drill: Drill) -> None:
    home = drill.folder / "no-key"
    result = drill.run("restore", str(drill.backup), "--identity", str(drill.identity), home=home)
    assert result.returncode == 2 and "No master key" in result.stderr


def test_a_backup_without_a_recipient_exits_2_naming_the_setting(drill: Drill) -> None:
    env = {k: v for k, v in drill.env.items() if k != "TESTIMONIO_BACKUP_RECIPIENT"}
    command = [sys.executable, "-m", "testimonio", "backup", "--out", str(drill.folder / "x")]
    env["TESTIMONIO_HOME"] = str(drill.folder / "home")
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 2 and "TESTIMONIO_BACKUP_RECIPIENT" in result.stderr
    assert not (drill.folder / "x").exists()


def _is_whole(path: Path, drill: Drill) -> bool:
    identity = pyrage.x25519.Identity.from_str(drill.identity.read_text().split()[-1])
    with tarfile.open(fileobj=io.BytesIO(pyrage.decrypt(path.read_bytes(), [identity]))) as tar:
        return tar.getnames()[-1] == "manifest.json"


def test_a_backup_killed_at_any_moment_leaves_a_whole_backup_or_none(drill: Drill) -> None:
    home, out = drill.folder / "home", drill.folder / "killed.age"
    started = time.perf_counter()
    drill.run("backup", "--out", str(out)).check_returncode()
    duration = time.perf_counter() - started
    env = {**drill.env, "TESTIMONIO_HOME": str(home)}
    command = [sys.executable, "-m", "testimonio", "backup", "--out", str(out)]
    rng, interrupted = random.Random(19), 0
    for _ in range(10):
        out.unlink(missing_ok=True)
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, duration))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert not out.exists() or _is_whole(out, drill)
        interrupted += bool(list(home.glob(".backup-*")) or not out.exists())
    assert interrupted >= 1  # some kills landed in the middle of a backup
    drill.run("backup", "--out", str(out)).check_returncode()
    assert _is_whole(out, drill) and not list(home.glob(".backup-*"))
    assert drill.run("audit", "verify").returncode == 0
