"""The hash chain behind the tamper-evident audit log.

Each event's hash covers the previous event's hash and the event's own canonical JSON, so
editing, deleting or reordering any event breaks every hash after it.

Two schemes, told apart by the chain's head (the first keyed event's sequence), not per event:

* **keyed** (every event written since the audit key exists): HMAC-SHA256 under the audit key,
  a secret kept outside the database. Whoever holds only the database cannot recompute a
  single hash, so an edit cannot be hidden by re-hashing the events after it.
* **legacy** (events written before the upgrade): plain SHA-256 of the same input, as before.
  They still verify as they did; the first keyed event covers the last legacy hash, so once
  one keyed event exists the legacy events cannot be re-hashed unnoticed either.

The head itself (last sequence, last hash, where keying began, which key) is sealed with an
HMAC under the same key, so deleting the last events and moving the head back is found too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from testimonio.crypto.keys import KEY_BYTES, generate_master_key
from testimonio.errors import ConfigurationError

GENESIS_HASH = "0" * 64


def canonical_json(payload: Mapping[str, Any]) -> str:
    """JSON with sorted keys and no whitespace: the same payload always hashes the same."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def chain_hash(previous_hash: str, payload: Mapping[str, Any]) -> str:
    """Legacy scheme: SHA-256 hex digest of the previous hash and the payload's canonical JSON."""
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(canonical_json(payload).encode("utf-8"))
    return digest.hexdigest()


class AuditKey:
    """The audit key, ready to hash: the HMAC state keyed once, copied for each event.

    Why copy a keyed state: an import hashes a hundred thousand events, and keying HMAC afresh
    (two extra SHA-256 blocks and a new object) for each would double the per-event cost.
    """

    def __init__(self, material: bytes) -> None:
        if len(material) != KEY_BYTES:
            raise ConfigurationError(f"The audit key must be {KEY_BYTES} bytes.")
        self._keyed = hmac.new(material, digestmod=hashlib.sha256)
        #: A public name for the key (not the key): the head records which key sealed it.
        self.key_id = hashlib.sha256(b"testimonio-audit-key-id:" + material).hexdigest()[:16]

    def hash_text(self, text: str) -> str:
        """HMAC-SHA256 hex of the previous hash and canonical JSON, already joined."""
        state = self._keyed.copy()
        state.update(text.encode("utf-8"))
        return state.hexdigest()

    def chain_hash(self, previous_hash: str, payload: Mapping[str, Any]) -> str:
        """Keyed scheme: the HMAC of what :func:`chain_hash` hashes."""
        return self.hash_text(previous_hash + canonical_json(payload))

    def seal_head(self, last_sequence: int, last_hash: str, keyed_from: int) -> str:
        """The head's seal. Its input starts with a letter, an event's with 64 hex digits, so
        no event hash can serve as a seal."""
        return self.hash_text(f"head|{last_sequence}|{last_hash}|{keyed_from}|{self.key_id}")


def generate_audit_key() -> str:
    """A new random audit key, base64-encoded for a key file (the same form as a master key)."""
    return generate_master_key()


def parse_audit_key(encoded: str) -> AuditKey:
    """Decode a base64 audit key; a malformed one is a configuration error naming the setting."""
    try:
        material = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        material = b""
    if len(material) != KEY_BYTES:
        raise ConfigurationError(
            f"The audit key is not base64 of {KEY_BYTES} bytes; check TESTIMONIO_AUDIT_KEY(_FILE)."
        )
    return AuditKey(material)
