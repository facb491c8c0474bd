"""The instance's master keys and each row's data key, inside the web app's trust boundary.

The key ring is read from where :func:`testimonio.config.master_key_source` says, plus,
beside the key file, a key being rotated in (``master.key.new``) and retired keys
(``*.retired``), so data stays readable at every step of a rotation. Without a master key,
pages that need identity data say so.
"""

from __future__ import annotations

import secrets
import uuid
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from testimonio.config import load_config, master_key_source
from testimonio.crypto import (
    Key,
    KeyRing,
    derive_master_key,
    index_key,
    parse_master_key,
    row_identity_key,
    unwrap_data_key,
    wrap_data_key,
)
from testimonio.errors import TestimonioError
from testimonio.ingest import RowHasher
from testimonio.web.keys.models import DataKey


class ErasedError(TestimonioError):
    """The values asked for were erased: their data key was destroyed."""


@lru_cache(maxsize=1)
def key_ring() -> KeyRing:
    """The configured master keys (cached; :func:`forget_keys` after a rotation)."""
    source = master_key_source()
    if source.encoded is None and source.passphrase is not None:
        return KeyRing(derive_master_key(source.passphrase, _passphrase_salt(load_config().home)))
    ring = KeyRing(parse_master_key(source.read_encoded()))
    return ring.with_retired(_keys_beside(source.file))


def _passphrase_salt(home: Path) -> bytes:
    """The instance's Argon2 salt (not secret), created on first use."""
    path = home / "keys" / "passphrase.salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(secrets.token_bytes(16))
    return path.read_bytes()


def master_key_path() -> Path:
    """The file the current master key is read from (rotation replaces it)."""
    return master_key_source().file


def forget_keys() -> None:
    key_ring.cache_clear()


def current_index_key() -> bytes:
    return index_key(key_ring().current)


def row_hasher(master: Key | None = None) -> RowHasher:
    """Keyed row fingerprints and record-key indexes under ``master`` (default: the current
    master key); see :mod:`testimonio.ingest.row_identity`."""
    return RowHasher(row_identity_key(master or key_ring().current))


def data_key_for(owner: uuid.UUID, *, create: bool) -> Key:
    """The data key of one row, created (and wrapped) on first use when ``create`` is set."""
    row = DataKey.objects.filter(owner=owner).first()
    if row is None:
        if not create:
            raise ErasedError(f"Row {owner} has no data key: nothing was sealed for it.")
        return create_data_key(owner, key_ring().current)
    if row.wrapped is None:
        raise ErasedError(
            f"The identity data of row {owner} was erased on {row.destroyed_at:%Y-%m-%d}."
        )
    return unwrap_data_key(bytes(row.wrapped), str(owner), key_ring())


def data_keys_for(owners: list[uuid.UUID]) -> dict[str, Key]:
    """The data keys of many rows in one query, by owner (as text); rows without one, or
    whose key was destroyed (erased), are left out."""
    rows = DataKey.objects.filter(owner__in=owners, wrapped__isnull=False).values_list(
        "owner", "wrapped"
    )
    ring = key_ring()
    return {
        str(owner): unwrap_data_key(bytes(wrapped), str(owner), ring)
        for owner, wrapped in rows
        if wrapped is not None
    }


def create_data_key(owner: uuid.UUID, master: Key) -> Key:
    """A fresh data key for ``owner``, stored wrapped under ``master`` (replacing any other)."""
    key = Key.generate()
    DataKey.objects.update_or_create(
        owner=owner,
        defaults={
            "wrapped": wrap_data_key(key, str(owner), master),
            "master_key_id": master.key_id.hex(),
            "destroyed_at": None,
        },
    )
    return key


def destroy_data_keys(owners: list[uuid.UUID]) -> int:
    """Crypto-shred: forget the data keys of ``owners``; returns how many were destroyed."""
    return DataKey.objects.filter(owner__in=owners, wrapped__isnull=False).update(
        wrapped=None, destroyed_at=timezone.now()
    )


def _keys_beside(path: Path) -> list[Key]:
    if not path.parent.is_dir():
        return []
    candidates = [path.with_name(path.name + ".new"), *sorted(path.parent.glob("*.retired"))]
    return [parse_master_key(p.read_text(encoding="ascii")) for p in candidates if p.is_file()]
