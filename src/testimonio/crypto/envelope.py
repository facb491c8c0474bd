"""Envelope encryption: each record's values are sealed under its own data key, and only the
wrapped (encrypted) data key is stored, under the master key.

Why: erasing a person means destroying their few data keys (crypto-shredding), which makes
every copy of their values unreadable, backups included; rotating the master key means
re-wrapping small keys, not re-reading the whole database.

Layout of a wrapped key: ``b"W1" | master key id (8) | nonce (12) | ciphertext``. The owner (the
UUID of the row the key protects) is bound as associated data, so a wrapped key copied to
another row does not unwrap.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from testimonio.crypto.keyring import KeyRing
from testimonio.crypto.keys import Key
from testimonio.errors import TestimonioError

_MAGIC = b"W1"
_HEADER = len(_MAGIC) + 8 + 12


class WrappedKeyError(TestimonioError):
    """A wrapped data key does not unwrap: destroyed, moved to another row, or tampered."""


def wrap_data_key(data_key: Key, owner: str, master: Key) -> bytes:
    """Encrypt ``data_key`` under ``master`` for the row ``owner``."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(master.material).encrypt(nonce, data_key.material, _aad(owner, master.key_id))
    return _MAGIC + master.key_id + nonce + sealed


def wrap_data_keys(data_keys: Sequence[Key], owners: Sequence[str], master: Key) -> list[bytes]:
    """:func:`wrap_data_key` for many keys (an import's, one per record): the same layout, one
    cipher and master key id for all, and every nonce from one read of the random source."""
    if len(data_keys) != len(owners):
        raise ValueError("one owner per data key")
    cipher, master_id = AESGCM(master.material), master.key_id
    nonces = os.urandom(12 * len(data_keys))
    wrapped = []
    for n, (key, owner) in enumerate(zip(data_keys, owners, strict=True)):
        nonce = nonces[12 * n : 12 * n + 12]
        sealed = cipher.encrypt(nonce, key.material, _aad(owner, master_id))
        wrapped.append(b"".join((_MAGIC, master_id, nonce, sealed)))
    return wrapped


def unwrap_data_key(wrapped: bytes, owner: str, ring: KeyRing) -> Key:
    """Decrypt a wrapped data key with whichever master key of ``ring`` wrapped it."""
    wrapped = bytes(wrapped)
    if len(wrapped) < _HEADER or not wrapped.startswith(_MAGIC):
        raise WrappedKeyError(f"The data key of row {owner} is not a wrapped key.")
    master = ring.find(wrapped[2:10])
    try:
        material = AESGCM(master.material).decrypt(
            wrapped[10:_HEADER], wrapped[_HEADER:], _aad(owner, master.key_id)
        )
    except InvalidTag:
        raise WrappedKeyError(
            f"The data key of row {owner} fails its integrity check: altered or moved."
        ) from None
    return Key(material)


def wrapping_key_id(wrapped: bytes) -> bytes:
    """The id of the master key that wrapped this data key."""
    return bytes(wrapped)[2:10]


def _aad(owner: str, master_id: bytes) -> bytes:
    return b"testimonio-data-key|" + owner.encode() + b"|" + master_id
