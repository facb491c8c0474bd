"""Backups of an instance, encrypted to a public key, and their verified restore.

A backup is one age-encrypted tar stream: a consistent copy of the database (SQLite's online
backup API, or ``pg_dump -Fc`` inside an exported snapshot), the sealed document store, and a
manifest of every member's SHA-256 and every table's row count. What must always hold:

- nothing readable leaves the process: the tar is encrypted as it is written, straight into
  the output file (a partial file is removed on failure);
- the master key (and the Django secret key) are never in a backup: data keys travel only
  wrapped by the master key, which the operator keeps elsewhere;
- a restore goes into an empty instance only, and is verified before it is declared done.
"""

from __future__ import annotations

from testimonio.web.backups.errors import BackupError
from testimonio.web.backups.manifest import Manifest
from testimonio.web.backups.progress import Progress, no_progress

__all__ = ["BackupError", "Manifest", "Progress", "no_progress"]
