"""``testimonio backup`` and ``testimonio restore``: encrypted backups and verified restores."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn

from testimonio.config import load_config, master_key_source
from testimonio.errors import ConfigurationError

if TYPE_CHECKING:
    from testimonio.web.backups import Progress as ProgressCallback


@click.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The encrypted backup file to write (e.g. /backups/testimonio-2026-12-03.age).",
)
def backup(out: Path) -> None:
    """Back up the running instance: database, sealed documents, manifest, encrypted.

    Safe while the app runs: SQLite is copied with its online backup API, PostgreSQL with
    pg_dump -Fc in one snapshot. The archive is encrypted to the age public key in
    TESTIMONIO_BACKUP_RECIPIENT(_FILE), so this server cannot read it back; only the holder of
    the private key can restore it. The master key is never in a backup: keep it separately.
    """
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.backups.make import create_backup

    with _progress() as progress:
        manifest = create_backup(out, progress)
    click.echo(f"Backup written: {out} ({out.stat().st_size:,} bytes, encrypted)")
    for line in manifest.summary():
        click.echo(f"  {line}")


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--identity",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The age identity file (AGE-SECRET-KEY-1...) whose public key backups are sent to.",
)
@click.option(
    "--erasure-ledger",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The old instance's erasures.ledger (or its off-site copy): people erased after the "
    "backup was taken are erased again.",
)
def restore(archive: Path, identity: Path, erasure_ledger: Path | None) -> None:
    """Restore ARCHIVE into a new, empty instance, then verify it.

    Set TESTIMONIO_HOME (and DATABASE_URL) to the new instance and put the old instance's
    master key in place first. Refused (exit 2) when the instance is not empty. Verifies the
    database's integrity, each member's SHA-256 and each table's row count against the
    manifest, the audit chain and the custody of every document, then re-applies the erasure
    ledger. Exits 1 when a check fails (each problem on its own line).
    """
    config = load_config()
    _require_master_key()
    from testimonio.cli.instance import prepare_home

    prepare_home(config)
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.backups.restore import restore_backup

    with _progress() as progress:
        report = restore_backup(archive, identity, ledger=erasure_ledger, progress=progress)
    for line in report.manifest.summary():
        click.echo(f"  {line}")
    click.echo(
        f"Audit chain: {report.audit_events:,} events; custody: {report.documents_checked:,} "
        f"documents; erasures re-applied: {report.erasure_keys_destroyed:,} data keys destroyed."
    )
    if not report.problems:
        click.echo(f"Restored and verified: {config.home}")
        return
    for problem in report.problems:
        click.echo(problem, err=True)
    click.echo(f"Restore verification FAILED: {len(report.problems)} problem(s).", err=True)
    sys.exit(1)


def _require_master_key() -> None:
    """The backed-up instance's master and audit keys must be in place (never in backups)."""
    source = master_key_source()
    if source.encoded is None and source.passphrase is None and not source.file.exists():
        raise ConfigurationError(
            "No master key: put the master key of the instance the backup came from at "
            f"{source.file} (or set TESTIMONIO_MASTER_KEY_FILE) before restoring."
        )
    config = load_config()
    named = {"TESTIMONIO_AUDIT_KEY", "TESTIMONIO_AUDIT_KEY_FILE"} & os.environ.keys()
    if not named and not config.audit_key_file.exists():
        raise ConfigurationError(
            "No audit key: put the audit key of the instance the backup came from at "
            f"{config.audit_key_file} (or set TESTIMONIO_AUDIT_KEY_FILE) before restoring."
        )


@contextmanager
def _progress() -> Iterator[ProgressCallback]:
    """A rich progress bar per step of the work (hidden when it is done)."""
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    with Progress(*columns, transient=True) as bars:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total or None)
            bars.update(tasks[step], completed=done, total=total or None)

        yield report
