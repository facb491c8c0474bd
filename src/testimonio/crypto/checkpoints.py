"""Signed checkpoints of the audit chain: an anchor kept where the database is not.

A checkpoint says "at this time the chain held this many events and its last hash was this",
signed with Ed25519. Kept outside the database (a file beside the case file, a line printed
into it, a backup manifest), it lets a later ``audit verify --checkpoint`` prove that the chain
still contains that state: an intruder who rewrites or cuts the chain after a checkpoint, even
one holding the audit key, cannot make it agree with the checkpoint again.

The signing key is not the audit key: the web app holds the audit key to append events, while
only the operator's command line needs the signing key, so taking over the web server does not
give the power to forge checkpoints. The public half is printed with every checkpoint, for the
case file.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from testimonio.crypto.hash_chain import canonical_json
from testimonio.errors import ConfigurationError, InputError

FORMAT = "testimonio-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    """The chain's state at one moment: its event count and the hash of its last event."""

    events: int
    head: str
    at: datetime

    def signed_text(self) -> bytes:
        """What the signature covers: the fields' canonical JSON (time to the second, UTC)."""
        return canonical_json(
            {"format": FORMAT, "events": self.events, "head": self.head, "at": _utc(self.at)}
        ).encode("utf-8")


def generate_signing_key() -> str:
    """A new Ed25519 private key (its 32 raw bytes, base64) for a key file."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def parse_signing_key(encoded: str) -> Ed25519PrivateKey:
    """Decode the signing key; a malformed one is a configuration error naming the setting."""
    try:
        material = base64.b64decode(encoded.strip(), validate=True)
        return Ed25519PrivateKey.from_private_bytes(material)
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            "The audit signing key is not base64 of 32 bytes; check "
            "TESTIMONIO_AUDIT_SIGNING_KEY(_FILE)."
        ) from None


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as printed for the case file: ``ed25519:`` and its base64."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "ed25519:" + base64.b64encode(raw).decode("ascii")


def sign_checkpoint(checkpoint: Checkpoint, key: Ed25519PrivateKey) -> dict[str, Any]:
    """The checkpoint as written to its file: the fields, the public key and the signature."""
    return {
        "format": FORMAT,
        "events": checkpoint.events,
        "head": checkpoint.head,
        "at": _utc(checkpoint.at),
        "public_key": public_key_text(key),
        "signature": base64.b64encode(key.sign(checkpoint.signed_text())).decode("ascii"),
    }


def case_file_line(document: dict[str, Any]) -> str:
    """One line for the case file: enough to re-check the checkpoint by hand."""
    return (
        f"Testimonio audit checkpoint {document['at']}: {document['events']} events, "
        f"head {document['head']}, key {document['public_key']}, "
        f"signature {document['signature']}"
    )


def read_checkpoint(path: Path, public_key: str) -> Checkpoint:
    """Read a checkpoint file and check it was signed, unaltered, by ``public_key``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError
        checkpoint = Checkpoint(
            events=_whole(document["events"]),
            head=_hex64(document["head"]),
            at=datetime.fromisoformat(str(document["at"])),
        )
        signature = base64.b64decode(str(document["signature"]), validate=True)
        named_key = str(document["public_key"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, binascii.Error):
        raise InputError(f"not a {FORMAT} file", file=str(path)) from None
    if named_key != public_key:
        raise InputError(
            f"signed by {named_key}, not by this instance's signing key {public_key}",
            file=str(path),
        )
    verifier = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key[len("ed25519:") :]))
    try:
        verifier.verify(signature, checkpoint.signed_text())
    except InvalidSignature:
        raise InputError(
            "the checkpoint's signature does not match its contents: it was altered",
            file=str(path),
        ) from None
    return checkpoint


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _whole(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError
    return value


def _hex64(value: object) -> str:
    if not isinstance(value, str) or len(value) != 64 or value.strip("0123456789abcdef"):
        raise ValueError
    return value
