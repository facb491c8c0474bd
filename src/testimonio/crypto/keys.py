"""The master key that protects identity fields: generation, parsing, identification.

The key is 32 random bytes kept outside the database (a file under the instance folder's
``keys/`` by default, or the environment). Its id is derived from the key itself, so a ciphertext
can say which key sealed it without revealing anything about the key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass, field

from testimonio.errors import ConfigurationError

KEY_BYTES = 32


@dataclass(frozen=True)
class MasterKey:
    """A 256-bit key and its public id (first 8 bytes of its SHA-256)."""

    material: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.material) != KEY_BYTES:
            raise ConfigurationError(f"The master key must be {KEY_BYTES} bytes.")

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(b"testimonio-key-id:" + self.material).digest()[:8]


def generate_master_key() -> str:
    """Return a new random master key, base64-encoded for a key file."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def parse_master_key(encoded: str) -> MasterKey:
    """Decode a base64 master key; a malformed key is a configuration error, never a crash."""
    try:
        material = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            "The master key is not valid base64; check TESTIMONIO_MASTER_KEY(_FILE)."
        ) from None
    return MasterKey(material)
