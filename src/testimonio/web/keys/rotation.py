"""Rotate the master key: every value is re-sealed under a fresh data key wrapped by a new
master key, after which the old master key file can be deleted.

Steps, each safe to crash after: (1) write the new key beside the current one
(``master.key.new``); (2) in one transaction, re-seal every record identity and narrative and
recompute blind indexes, row fingerprints and record keys; (3) retire the old key file
(``master-<id>.retired``) and put the new one in its place. The key ring reads all three
names, so data is readable at every step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from django.db import transaction

from testimonio.config import master_key_source
from testimonio.crypto import (
    Key,
    encode_key,
    index_key,
    parse_master_key,
    unwrap_data_key,
    wrap_data_key,
)
from testimonio.errors import ConfigurationError
from testimonio.ingest import RowHasher
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import EncounterNarrative, Record, RecordIdentity
from testimonio.web.keys.identity import (
    IdentityFields,
    open_identity,
    open_narrative,
    seal_identity,
    seal_narrative,
)
from testimonio.web.keys.models import DataKey
from testimonio.web.keys.ring import create_data_key, forget_keys, key_ring, row_hasher


@dataclass(frozen=True)
class Rotation:
    old_key_id: str
    new_key_id: str
    identities: int
    narratives: int
    retired_file: Path


def do_rotate_master_key(actor: Actor) -> Rotation:
    """Replace the master key; returns what was re-sealed and where the old key now lies."""
    source = master_key_source()
    path = source.file
    if not source.in_file:
        raise ConfigurationError(
            "The master key comes from the environment; rotation needs it in a file "
            "(TESTIMONIO_MASTER_KEY_FILE) so the new key can be written."
        )
    old = key_ring().current
    new = _stage_new_key(path)
    forget_keys()
    with transaction.atomic():
        identities = _reseal_identities(new)
        narratives = _reseal_narratives(new)
        _rewrap_remaining(old, new)
        record_event(
            actor,
            "crypto.master_key.rotate",
            "crypto.masterkey",
            details={
                "old": old.key_id.hex(),
                "new": new.key_id.hex(),
                "identities": identities,
                "narratives": narratives,
            },
        )
    retired = _swap_key_files(path, old)
    forget_keys()
    return Rotation(old.key_id.hex(), new.key_id.hex(), identities, narratives, retired)


def _stage_new_key(path: Path) -> Key:
    staged = path.with_name(path.name + ".new")
    if staged.exists():  # a rotation crashed after writing it: finish with the same key
        return parse_master_key(staged.read_text(encoding="ascii"))
    key = Key.generate()
    descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(encode_key(key) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key


def _reseal_identities(new_master: Key) -> int:
    count, hasher = 0, row_hasher(new_master)
    for row in RecordIdentity.objects.select_related("record").iterator(chunk_size=500):
        record = row.record
        identity: IdentityFields = open_identity(record)
        key = create_data_key(record.uuid, new_master)
        resealed = seal_identity(record, identity, key, index_key(new_master))
        for name in [*(f.name for f in fields(IdentityFields)), *RecordIdentity.BLIND_INDEXES]:
            setattr(row, name, getattr(resealed, name))
        row.save()
        _rekey_record(record, identity.origin(), hasher)
        count += 1
    return count


def _rekey_record(record: Record, origin: dict[str, Any], hasher: RowHasher) -> None:
    """The record's row fingerprint and record key under the new key, from its sealed
    provenance (they are HMACs under a key derived from the master key)."""
    digest, key = origin.get("digest", ""), origin.get("key", "")
    Record.objects.filter(pk=record.pk).update(
        raw_hash=hasher.row_hash(digest) if digest else "",
        external_id=hasher.record_index(record.source_id, key) if key else "",
    )


def _reseal_narratives(new_master: Key) -> int:
    count = 0
    for narrative in EncounterNarrative.objects.select_related("encounter").iterator(
        chunk_size=500
    ):
        text = open_narrative(narrative)
        key = create_data_key(narrative.encounter.uuid, new_master)
        seal_narrative(narrative, text, key)
        narrative.save()
        count += 1
    return count


def _rewrap_remaining(old: Key, new: Key) -> None:
    """Data keys with nothing left to re-seal still must not depend on the old master key."""
    for row in DataKey.objects.filter(master_key_id=old.key_id.hex(), wrapped__isnull=False):
        if row.wrapped is None:
            continue
        key = unwrap_data_key(bytes(row.wrapped), str(row.owner), key_ring())
        row.wrapped = wrap_data_key(key, str(row.owner), new)
        row.master_key_id = new.key_id.hex()
        row.save(update_fields=["wrapped", "master_key_id"])


def _swap_key_files(path: Path, old: Key) -> Path:
    retired = path.with_name(f"master-{old.key_id.hex()}.retired")
    os.replace(path, retired)
    os.replace(path.with_name(path.name + ".new"), path)
    return retired
