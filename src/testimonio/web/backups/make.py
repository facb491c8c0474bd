"""``testimonio backup``: the database, the sealed documents and the manifest, encrypted.

The database copy comes first and the document store is listed after it, so every document
the copied database refers to is in the archive (blobs are written before their row commits).
Only named parts of the instance folder are taken: the master key, its rotation files and the
Django secret key are never read, so they can never end up in a backup.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from testimonio import __version__
from testimonio.config import Config, load_config, read_backup_recipients
from testimonio.web.backups.database import copy_database
from testimonio.web.backups.manifest import Manifest
from testimonio.web.backups.progress import Progress, no_progress
from testimonio.web.backups.sealed_archive import write_archive

#: Files of the instance folder a restore needs besides the database and documents: the
#: passphrase's (non-secret) salt, and the erasure ledger so a restored instance keeps it.
HOME_FILES = {
    "home/passphrase.salt": "keys/passphrase.salt",
    "home/erasures.ledger": "erasures.ledger",
}


def home_file_path(config: Config, name: str) -> Path:
    """Where the instance keeps the archived home file ``name``: the ledger is wherever
    :attr:`Config.erasure_ledger_file` says (``ledger/``, or the home folder of an older one)."""
    if name == "home/erasures.ledger":
        return config.erasure_ledger_file
    return config.home / HOME_FILES[name]


def create_backup(out: Path, progress: Progress = no_progress) -> Manifest:
    """Write an encrypted backup of the running instance to ``out``; return its manifest."""
    config = load_config()
    recipients = read_backup_recipients()
    remove_abandoned_staging(config.home)
    staging = Path(tempfile.mkdtemp(dir=config.home, prefix=f".backup-{os.getpid()}-"))
    try:
        progress("Copying the database", 0, 1)
        copy = copy_database(staging)
        progress("Copying the database", 1, 1)
        parts = [(copy.member, copy.path), *instance_files(config)]
        total = sum(path.stat().st_size for _, path in parts)
        written = 0

        def advance(count: int) -> None:
            nonlocal written
            written += count
            progress("Encrypting", written, total)

        manifest = Manifest(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            testimonio_version=__version__,
            database_vendor="sqlite" if copy.member.endswith("sqlite3") else "postgresql",
            database_member=copy.member,
            tables=copy.tables,
        )
        with write_archive(out, recipients, advance) as archive:
            for name, path in parts:
                archive.add_file(name, path)
            manifest.members = list(archive.members)
            archive.add_manifest(manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def remove_abandoned_staging(home: Path) -> None:
    """Delete the staging folders of backups whose process died (killed, power loss).

    They hold a copy of the database (no more readable than the live one beside it, but no
    copy should linger); a folder whose process still runs belongs to a backup in progress.
    """
    for folder in home.glob(".backup-*-*"):
        pid = folder.name.split("-")[1]
        if folder.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def instance_files(config: Config) -> Iterator[tuple[str, Path]]:
    """The sealed documents and the named home files, as (archive name, path)."""
    documents = config.documents_dir
    if documents.is_dir():
        for path in sorted(documents.rglob("*")):
            if path.is_file() and not path.name.startswith(".incoming-"):
                yield f"documents/{path.relative_to(documents).as_posix()}", path
    for name in HOME_FILES:
        path = home_file_path(config, name)
        if path.is_file():
            yield name, path
