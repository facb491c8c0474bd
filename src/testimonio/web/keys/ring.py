"""The instance's master keys and each row's data key, inside the web app's trust boundary.

The key ring is read from TESTIMONIO_MASTER_KEY(_FILE) plus, beside the key file, a key being
rotated in (``master.key.new``) and retired keys (``*.retired``), so data stays readable at
every step of a rotation. Without a master key, pages that need identity data say so.
"""

from __future__ import annotations

import os
import secrets
import uuid
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from testimonio.config import load_config, read_secret
from testimonio.crypto import (
    Key,
    KeyRing,
    derive_master_key,
    parse_master_key,
    unwrap_data_key,
    wrap_data_key,
)
from testimonio.crypto.blind_index import index_key
from testimonio.errors import ConfigurationError, TestimonioError
from testimonio.web.cases.models import DataKey


class ErasedError(TestimonioError):
    """The values asked for were erased: their data key was destroyed."""


@lru_cache(maxsize=1)
def key_ring() -> KeyRing:
    """The configured master keys (cached; :func:`forget_keys` after a rotation)."""
    config = load_config()
    encoded = os.environ.get("TESTIMONIO_MASTER_KEY")
    passphrase = read_secret("TESTIMONIO_MASTER_PASSPHRASE", config.home / "no-default")
    if not encoded and passphrase is not None:
        return KeyRing(derive_master_key(passphrase, _passphrase_salt(config.home)))
    encoded = read_secret("TESTIMONIO_MASTER_KEY", config.master_key_file)
    if encoded is None:
        raise ConfigurationError(
            "No master key: identity data cannot be read or written. Run `testimonio init` "
            "or set TESTIMONIO_MASTER_KEY_FILE (or TESTIMONIO_MASTER_PASSPHRASE)."
        )
    ring = KeyRing(parse_master_key(encoded))
    return ring.with_retired(_keys_beside(master_key_path()))


def _passphrase_salt(home: Path) -> bytes:
    """The instance's Argon2 salt (not secret), created on first use."""
    path = home / "keys" / "passphrase.salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(secrets.token_bytes(16))
    return path.read_bytes()


def master_key_path() -> Path:
    """The file the current master key is read from (rotation replaces it)."""
    named = os.environ.get("TESTIMONIO_MASTER_KEY_FILE")
    return Path(named).expanduser() if named else load_config().master_key_file


def forget_keys() -> None:
    key_ring.cache_clear()


def current_index_key() -> bytes:
    return index_key(key_ring().current)


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
