"""``testimonio restore``: a backup into an empty instance, then proof that it is whole.

Refused unless the instance is empty (no tables, no documents) and its master key is in place:
a restore never overwrites data, and without the backed-up instance's master key its identities
could not be read. Everything is extracted and checked against the manifest in a private
staging folder before anything is put in place. Then: row counts against the manifest, the
audit chain, custody of every document, and the erasure ledger re-applied, so a person erased
after the backup was taken stays erased.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import call_command

from testimonio.config import Config, load_config
from testimonio.errors import TestimonioError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.audit.verification import verify_chain
from testimonio.web.backups.database import database_is_empty, restore_database
from testimonio.web.backups.errors import BackupError
from testimonio.web.backups.make import HOME_FILES, home_file_path
from testimonio.web.backups.manifest import Manifest
from testimonio.web.backups.progress import Progress, no_progress
from testimonio.web.backups.sealed_archive import read_archive, read_identities
from testimonio.web.cases.actions import do_reapply_erasures
from testimonio.web.evidence.custody import verify_custody
from testimonio.web.keys.models import DataKey
from testimonio.web.keys.ring import data_key_for, forget_keys


@dataclass
class RestoreReport:
    """What the restore found; :attr:`problems` empty means the instance is whole."""

    manifest: Manifest
    audit_events: int = 0
    documents_checked: int = 0
    erasure_keys_destroyed: int = 0
    problems: list[str] = field(default_factory=list)


def restore_backup(
    archive: Path,
    identity_file: Path,
    *,
    ledger: Path | None = None,
    progress: Progress = no_progress,
) -> RestoreReport:
    """Restore ``archive`` into the configured (empty) instance and verify it."""
    identities = read_identities(identity_file)
    config = load_config()
    _require_empty(config)
    staging = Path(tempfile.mkdtemp(dir=config.home, prefix=".restore-"))
    try:
        total = archive.stat().st_size
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            progress("Decrypting", min(done, total), total)

        manifest = read_archive(archive, identities, staging, advance)
        progress("Restoring the database", 0, 1)
        counts = restore_database(staging / manifest.database_member, manifest.database_vendor)
        progress("Restoring the database", 1, 1)
        _place_documents(staging / "documents", config.documents_dir)
        _place_home_files(staging, config, ledger)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report = RestoreReport(manifest)
    report.problems.extend(_count_problems(manifest.tables, counts))
    _verify(report, progress)
    return report


def _require_empty(config: Config) -> None:
    documents = config.documents_dir
    has_documents = documents.is_dir() and any(path.is_file() for path in documents.rglob("*"))
    if has_documents or not database_is_empty():
        raise BackupError(
            f"The instance at {config.home} is not empty: restore only into a new instance "
            "(a new TESTIMONIO_HOME and an empty database)."
        )


def _master_key_problems() -> list[str]:
    """The configured master key must open the restored data keys (else nothing is readable)."""
    row = DataKey.objects.filter(wrapped__isnull=False).order_by("pk").first()
    if row is None:
        return []
    try:
        data_key_for(row.owner, create=False)
    except TestimonioError as error:
        return [f"master key: it does not open the restored data keys ({error})"]
    return []


def _place_documents(staged: Path, documents: Path) -> None:
    documents.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not staged.is_dir():
        return
    for path in sorted(staged.rglob("*")):
        if path.is_file():
            target = documents / path.relative_to(staged)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.move(path, target)


def _place_home_files(staging: Path, config: Config, ledger: Path | None) -> None:
    for name in HOME_FILES:
        source, target = staging / name, home_file_path(config, name)
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.move(source, target)
    if ledger is not None:
        _merge_ledger(ledger, home_file_path(config, "home/erasures.ledger"))


def _merge_ledger(extra: Path, ledger: Path) -> None:
    """Add the erasures noted in ``extra`` (the live instance's ledger) to the restored one."""
    try:
        wanted = extra.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(f"Cannot read the erasure ledger {extra}: {error}.") from None
    known = set(ledger.read_text(encoding="ascii").split()) if ledger.exists() else set()
    with ledger.open("a", encoding="ascii") as handle:
        for line in dict.fromkeys(wanted):
            if line not in known:
                handle.write(f"{line}\n")


def _count_problems(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            problems.append(
                f"table {table}: {found.get(table, 0):,} rows, the manifest says "
                f"{expected.get(table, 0):,}"
            )
    return problems


def _verify(report: RestoreReport, progress: Progress) -> None:
    """Upgrade the schema if the backup is older, then the checks of a whole instance."""
    forget_keys()
    steps = 4
    progress("Verifying", 0, steps)
    call_command("migrate", interactive=False, verbosity=0)
    report.problems.extend(_master_key_problems())
    progress("Verifying", 1, steps)
    report.audit_events = AuditEvent.objects.count()
    report.problems.extend(f"audit event #{p.sequence}: {p.reason}" for p in verify_chain())
    progress("Verifying", 2, steps)
    report.documents_checked, custody = verify_custody()
    report.problems.extend(f"document {p.document_id}: {p.reason}" for p in custody)
    progress("Verifying", 3, steps)
    report.erasure_keys_destroyed = do_reapply_erasures(None)
    progress("Verifying", 4, steps)
