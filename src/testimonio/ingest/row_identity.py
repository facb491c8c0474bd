"""A keyed fingerprint of a raw row, so importing the same row twice can be recognised.

The fingerprint covers the source, the sheet and the row's cells after harmless normalisation
(Unicode NFC, surrounding and repeated spaces): re-saving a file in another encoding or
delimiter gives the same one, a changed cell gives another. It is keyed: an HMAC-SHA256, under
a key kept outside the database, of the row's SHA-256 digest. Why keyed: an unkeyed hash let
anyone holding the database and an organisation's original list hash each row of the list
and find its pseudonym. Why of the digest: the digest (sealed with the record's provenance)
lets a key rotation re-key every stored fingerprint without the original row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from collections.abc import Sequence

__all__ = ["RowHasher", "row_digest"]


def row_digest(source: str, sheet: str, cells: Sequence[str]) -> str:
    """Unkeyed SHA-256 hex of the source, sheet and normalised cells (trailing empty cells
    ignored): never stored in clear, only sealed or under :class:`RowHasher`'s key."""
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


class RowHasher:
    """Keyed fingerprints of rows and keyed indexes of their record keys, under one key.

    The HMAC is set up with the key once (its inner and outer pads) and copied for each row:
    an import makes one per row.
    """

    def __init__(self, key: bytes) -> None:
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def keyed(self, purpose: str, value: str) -> str:
        """Hex HMAC-SHA256 of ``purpose`` and ``value`` under this hasher's key."""
        mac = self._base.copy()
        mac.update(f"{purpose}|{value}".encode())
        return mac.hexdigest()

    def row_hash(self, digest: str) -> str:
        """The stored fingerprint of a row, from its :func:`row_digest`."""
        return self.keyed("row", digest)

    def record_index(self, source_id: int, record_key: str) -> str:
        """The stored index of a row's key in its source (its own id, else sheet and row):
        how a re-import finds the record, without the key itself in the database."""
        return self.keyed("record-key", f"{source_id}|{record_key}")


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
