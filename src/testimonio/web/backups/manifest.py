"""The manifest inside every backup: what it holds, each member's SHA-256, each table's rows.

It is the last member of the archive (its hashes are known only once the others are written)
and the restore checks every member and every row count against it. It names tables and
content-addressed file names only, never anything about a person.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from testimonio.web.backups.errors import BackupError

FORMAT = "testimonio-backup/1"
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Member:
    """One file in the archive."""

    name: str
    size: int
    sha256: str


@dataclass
class Manifest:
    """What a backup holds; written as JSON."""

    created_at: str
    testimonio_version: str
    database_vendor: str
    database_member: str
    tables: dict[str, int] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    format: str = FORMAT

    @property
    def documents(self) -> int:
        return sum(1 for member in self.members if member.name.startswith("documents/"))

    @property
    def total_bytes(self) -> int:
        return sum(member.size for member in self.members)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw: dict[str, Any] = json.loads(data)
            if raw.get("format") != FORMAT:
                raise BackupError(f"This backup's format is {raw.get('format')!r}, not {FORMAT}.")
            raw["members"] = [Member(**member) for member in raw["members"]]
            return cls(**raw)
        except (ValueError, TypeError, KeyError) as error:
            raise BackupError(f"The backup's manifest is unreadable ({error}).") from None

    def summary(self) -> list[str]:
        """Lines to print after a backup or restore (counts and sizes only)."""
        rows = sum(self.tables.values())
        return [
            f"Database: {self.database_vendor}, {len(self.tables)} tables, {rows:,} rows",
            f"Documents: {self.documents:,} sealed files",
            f"Members: {len(self.members):,}, {self.total_bytes:,} bytes before encryption",
        ]
