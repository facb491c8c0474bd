"""The hash chain behind the tamper-evident audit log.

Each event's hash covers the previous event's hash and the event's own canonical JSON, so
editing, deleting or reordering any event breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(payload: Mapping[str, Any]) -> str:
    """JSON with sorted keys and no whitespace: the same payload always hashes the same."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def chain_hash(previous_hash: str, payload: Mapping[str, Any]) -> str:
    """SHA-256 hex digest of the previous hash and the payload's canonical JSON."""
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(canonical_json(payload).encode("utf-8"))
    return digest.hexdigest()
