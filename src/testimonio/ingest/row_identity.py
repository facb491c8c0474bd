"""A stable fingerprint of a raw row, so importing the same row twice can be recognised.

The hash covers the source, the sheet and the row's cells after harmless normalisation (Unicode
NFC, surrounding and repeated spaces): re-saving a file in another encoding or delimiter gives the
same hash, a changed cell gives another. It is a SHA-256 hex digest; it reveals nothing of the
row to someone without the row.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence

__all__ = ["row_hash"]


def row_hash(source: str, sheet: str, cells: Sequence[str]) -> str:
    """SHA-256 of the source, sheet and normalised cells (trailing empty cells ignored)."""
    # An import hashes every row: one encoder for all of them (json.dumps with options makes
    # a new one per call), and ASCII text, which NFC leaves as it is, is not normalised.
    normalised = [
        " ".join((cell if cell.isascii() else unicodedata.normalize("NFC", cell)).split())
        for cell in cells
    ]
    while normalised and not normalised[-1]:
        normalised.pop()
    payload = _encode([source, sheet, normalised])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
