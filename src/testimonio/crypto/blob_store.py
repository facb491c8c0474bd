"""Encrypted, content-addressed storage of documents (declarations, attachments).

Each document is encrypted under its own data key in 1 MiB chunks (AES-256-GCM, a STREAM-like
construction: the nonce carries the chunk number and a last-chunk flag, so reordered,
truncated or extended files fail to open). Files are named by a keyed hash of the original's
SHA-256, so identical uploads share a name without the name revealing which known document
is stored. Nothing is written in the clear, temporary files included.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from testimonio.crypto.keys import Key
from testimonio.errors import TestimonioError

CHUNK = 1024 * 1024
_MAGIC = b"D1"
_PREFIX = 7


class BlobIntegrityError(TestimonioError):
    """A stored document does not decrypt: altered, truncated, or under another key."""


class BlobStore:
    """A folder of encrypted blobs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def storage_name(self, sha256: str, index_key: bytes) -> str:
        return hmac.new(index_key, f"document|{sha256}".encode(), hashlib.sha256).hexdigest()

    def path(self, storage_name: str) -> Path:
        return self.folder / storage_name[:2] / storage_name

    def put(self, data: bytes, storage_name: str, key: Key, owner: str) -> Path:
        """Encrypt ``data`` to ``storage_name`` atomically (ciphertext only ever touches disk)."""
        target = self.path(storage_name)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(descriptor, "wb") as handle:
            for piece in encrypt_chunks(data, key, owner):
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        return target

    def get(self, storage_name: str, key: Key, owner: str) -> bytes:
        return decrypt_blob(self.path(storage_name).read_bytes(), key, owner)


def encrypt_chunks(data: bytes, key: Key, owner: str) -> Iterator[bytes]:
    prefix = secrets.token_bytes(_PREFIX)
    yield _MAGIC + key.key_id + prefix
    aead = AESGCM(key.material)
    count = max(1, -(-len(data) // CHUNK))
    for number in range(count):
        piece = data[number * CHUNK : (number + 1) * CHUNK]
        nonce = _nonce(prefix, number, last=number == count - 1)
        yield aead.encrypt(nonce, piece, owner.encode())


def decrypt_blob(blob: bytes, key: Key, owner: str) -> bytes:
    header = len(_MAGIC) + 8 + _PREFIX
    if not blob.startswith(_MAGIC) or blob[2:10] != key.key_id:
        raise BlobIntegrityError(f"Document {owner} is not sealed with its data key.")
    prefix, body, aead = blob[10:header], blob[header:], AESGCM(key.material)
    size = CHUNK + 16
    pieces = [body[start : start + size] for start in range(0, max(len(body), 1), size)]
    try:
        return b"".join(
            aead.decrypt(_nonce(prefix, n, last=n == len(pieces) - 1), piece, owner.encode())
            for n, piece in enumerate(pieces)
        )
    except InvalidTag:
        raise BlobIntegrityError(
            f"Document {owner} fails its integrity check: the stored file was altered."
        ) from None


def _nonce(prefix: bytes, number: int, *, last: bool) -> bytes:
    return prefix + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
