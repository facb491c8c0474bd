"""What a run was made from, so that it can be cited and repeated (STYLE.md rule 9).

Every linkage, estimation, analysis and report run keeps one :class:`RunProvenance`: the hash of
its input, the settings it ran with, its seed, the versions of the packages that computed it and
when it ran (UTC). Re-running the same input with the same settings, seed and versions gives the
same result; a version that differs says why a figure may have moved.

Plain Python (no Django): the web's run models store these fields, and the command line and the
saved linkage model write the same ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["RunProvenance", "hash_bytes", "hash_file", "package_versions"]

#: Read a file to hash in pieces of this size, so a large input is never held whole.
_CHUNK = 1 << 20


def package_versions(names: Iterable[str]) -> dict[str, str]:
    """The installed version of each package, ``"unknown"`` for one that is not installed."""
    return {name: _version(name) for name in names}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def hash_bytes(data: bytes) -> str:
    """Hex SHA-256 of an input held in memory."""
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (the same as :func:`hash_bytes` of its content)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class RunProvenance:
    """One run's inputs hash, settings, seed, package versions and time (UTC)."""

    input_hash: str
    settings: Mapping[str, Any]
    seed: int | None
    package_versions: Mapping[str, str]
    created_at: dt.datetime = field(default_factory=_now)

    def __post_init__(self) -> None:
        if self.created_at.utcoffset() != dt.timedelta(0):
            raise ValueError("a run's time must be given in UTC")

    @classmethod
    def of_run(
        cls,
        input_hash: str,
        settings: Mapping[str, Any],
        seed: int | None,
        packages: Iterable[str],
    ) -> RunProvenance:
        """The provenance of a run starting now, with the versions of ``packages`` installed."""
        return cls(input_hash, dict(settings), seed, package_versions(packages))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the time as ISO 8601 with its UTC offset."""
        return {
            "input_hash": self.input_hash,
            "settings": dict(self.settings),
            "seed": self.seed,
            "package_versions": dict(self.package_versions),
            "created_at": self.created_at.isoformat(),
        }
