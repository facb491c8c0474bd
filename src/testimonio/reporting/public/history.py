"""The index of published releases (``releases.json``): what the feed lists and what is fixed.

Each entry records a release's id, month, threshold, the snapshot it counted and, per table,
the cells it suppressed (by their values; never a count). A later release from the *same*
snapshot (another threshold, more tables) must keep every cell an earlier one published:
those tables go to the suppression as :class:`~..suppression.EarlierTable`, their published
cells fixed. Releases from other snapshots count other people (people added since), so they
share no equation with this one; docs/methods.md says what that leaves unprotected.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from testimonio.errors import InputError
from testimonio.reporting.atomic_output import write_text_atomically
from testimonio.reporting.public.tables import PublicTable
from testimonio.reporting.suppression import EarlierTable

__all__ = ["earlier_tables", "read_history", "updated_history", "write_history"]


def read_history(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["releases"]
        if not isinstance(entries, list):
            raise TypeError
        return [dict(entry) for entry in entries]
    except (ValueError, KeyError, TypeError):
        raise InputError(
            "the release history is not a releases.json file", file=str(path)
        ) from None


def earlier_tables(
    history: Sequence[dict[str, Any]], release_id: str, snapshot_sha256: str,
    tables: Sequence[PublicTable], family: str,
) -> list[EarlierTable]:  # fmt: skip
    """Earlier releases of this snapshot, as tables whose published cells are fixed."""
    by_name = {item.table.name: item.table for item in tables if item.family == family}
    found = []
    for entry in history:
        if entry.get("id") == release_id or entry.get("snapshot_sha256") != snapshot_sha256:
            continue
        for name, suppressed in sorted(entry.get("suppressed", {}).items()):
            if name in by_name:
                cells = frozenset(tuple(str(value) for value in cell) for cell in suppressed)
                found.append(EarlierTable(by_name[name], cells))
    return found


def updated_history(
    history: Sequence[dict[str, Any]], entry: dict[str, Any]
) -> list[dict[str, Any]]:
    """The history with this release in it (replacing a re-run of the same release)."""
    kept = [item for item in history if item.get("id") != entry["id"]]
    return sorted([*kept, entry], key=lambda item: (str(item.get("month")), str(item["id"])))


def write_history(path: Path, history: Sequence[dict[str, Any]]) -> None:
    """Write the history whole or not at all: a kill midway must not lose earlier releases."""
    text = json.dumps({"releases": list(history)}, indent=2, sort_keys=True) + "\n"
    write_text_atomically(path, text)
