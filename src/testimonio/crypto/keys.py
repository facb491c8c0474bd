"""Keys: the master key kept outside the database, and the data keys it wraps.

Every key is 32 random bytes. A key's id is derived from the key itself (first 8 bytes of a
labelled SHA-256), so a ciphertext can name the key that sealed it without revealing anything
about the key. The master key lives in a file under the instance's ``keys/`` folder (or the
environment); data keys live in the database only in wrapped (encrypted) form.
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
class Key:
    """A 256-bit key and its public id."""

    material: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.material) != KEY_BYTES:
            raise ConfigurationError(f"A key must be {KEY_BYTES} bytes.")

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(b"testimonio-key-id:" + self.material).digest()[:8]

    @classmethod
    def generate(cls) -> Key:
        return cls(secrets.token_bytes(KEY_BYTES))


#: The key that wraps data keys; the same kind of key, named for its role.
MasterKey = Key


def generate_master_key() -> str:
    """Return a new random master key, base64-encoded for a key file."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def parse_master_key(encoded: str) -> Key:
    """Decode a base64 master key; a malformed key is a configuration error, never a crash."""
    try:
        material = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            "The master key is not valid base64; check TESTIMONIO_MASTER_KEY(_FILE)."
        ) from None
    return Key(material)


MIN_PASSPHRASE = 16


def derive_master_key(passphrase: str, salt: bytes) -> Key:
    """Stretch a passphrase into the master key with Argon2id (64 MiB, 3 passes).

    For instances where no key file may be kept on the server: the key then exists only while
    the service runs with the passphrase in its environment. The salt is not secret.
    """
    from argon2.low_level import Type, hash_secret_raw

    if len(passphrase) < MIN_PASSPHRASE:
        raise ConfigurationError(
            f"The master passphrase must be at least {MIN_PASSPHRASE} characters; "
            "use several random words."
        )
    material = hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=3,
        memory_cost=64 * 1024,
        parallelism=2,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )
    return Key(material)


def encode_key(key: Key) -> str:
    """Base64 of a key, as written to a key file."""
    return base64.b64encode(key.material).decode("ascii")
