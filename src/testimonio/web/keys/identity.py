"""Sealing and revealing identity fields inside the web app's trust boundary.

Plaintext identity values exist only in memory here and in the view that shows them to a role
allowed to see them; every reveal is an audit event. Each record's values are sealed under the
record's own data key (see :mod:`testimonio.web.keys.ring`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db import transaction

from testimonio.crypto import (
    Key,
    SealContext,
    Sealer,
    birth_date_index,
    given_surname_index,
    open_value,
    phone_index,
    seal_value,
    surname_sound_year_index,
)
from testimonio.crypto import surname_year_index as surname_year_blind_index
from testimonio.linkage import surname_sound_keys
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import EncounterNarrative, Record, RecordIdentity
from testimonio.web.keys.ring import current_index_key, data_key_for, data_keys_for


@dataclass(frozen=True)
class IdentityFields:
    """The identifying details of one record, in plaintext (memory only)."""

    given_names: str = ""
    surnames: str = ""
    birth_date: str = ""
    phone: str = ""
    identity_document: str = ""
    full_name: str = ""
    #: Where the record came from, as :func:`provenance_text` writes it: sealed because with
    #: the original list a file name and row number identify the person as well as a name.
    provenance: str = ""

    def origin(self) -> dict[str, Any]:
        """The provenance's fields (file, sheet, row, key, digest); empty without one."""
        return read_provenance(self.provenance)

    def __repr__(self) -> str:
        # Never let a traceback or a debugger's repr print identity values.
        return "IdentityFields(<sealed>)"


def provenance_text(file: str, sheet: str, row: int, key: str = "", digest: str = "") -> str:
    """The sealed provenance of a record: file, sheet, row, the row's key in its source (its
    own id, else sheet:row) and its digest (for re-keying the stored HMACs on rotation)."""
    return _encode_provenance(
        {"file": file, "sheet": sheet, "row": row, "key": key, "digest": digest}
    )


def read_provenance(text: str) -> dict[str, Any]:
    """The fields :func:`provenance_text` wrote (empty for a record without provenance)."""
    return dict(json.loads(text)) if text else {}


_encode_provenance = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def seal_identity(
    record: Record, identity: IdentityFields, key: Key | None = None, index: bytes | None = None
) -> RecordIdentity:
    """Build (unsaved) the sealed identity row of ``record``; empty values stay empty.

    ``key`` and ``index`` default to the record's data key and the current blind-index key;
    rotation passes the new ones.
    """
    key = key or data_key_for(record.uuid, create=True)
    columns = sealed_identity_columns(record.uuid, identity, key, index or current_index_key())
    return RecordIdentity(record=record, **columns)


_IDENTITY_NAMES = tuple(field.name for field in fields(IdentityFields))


def sealed_identity_columns(
    owner: uuid.UUID | str,
    identity: IdentityFields,
    key: Key,
    index: bytes,
    surname_year: Callable[[str, str, bytes], str] = surname_year_blind_index,
) -> dict[str, bytes | str | None]:
    """The sealed values and blind indexes of a :class:`RecordIdentity` row, by field name
    (bulk imports write these without building the model object, and may pass a memoised
    ``surname_year`` index function)."""
    filled = [(name, value) for name in _IDENTITY_NAMES if (value := getattr(identity, name))]
    sealed = Sealer(key).seal_fields("cases.recordidentity", str(owner), filled)
    columns: dict[str, bytes | str | None] = dict.fromkeys(_IDENTITY_NAMES)
    columns.update(zip([name for name, _ in filled], sealed, strict=True))
    columns["surname_year_index"] = surname_year(identity.surnames, identity.birth_date, index)
    columns["phone_index"] = phone_index(identity.phone, index)
    columns["given_surname_index"] = given_surname_index(
        identity.given_names, identity.surnames, index
    )
    columns["birth_date_index"] = birth_date_index(identity.birth_date, index)
    paternal, maternal = surname_sound_keys(identity.surnames) if identity.surnames else ("", "")
    columns["paternal_sound_year_index"] = surname_sound_year_index(
        paternal, identity.birth_date, index
    )
    columns["maternal_sound_year_index"] = surname_sound_year_index(
        maternal, identity.birth_date, index
    )
    return columns


def open_identity(record: Record) -> IdentityFields:
    """Decrypt a record's identity (no audit: callers outside a reveal must audit themselves)."""
    row = RecordIdentity.objects.filter(record=record).first()
    if row is None:
        return IdentityFields()
    key = data_key_for(record.uuid, create=False)
    values: dict[str, str] = {}
    for field in fields(IdentityFields):
        sealed = getattr(row, field.name)
        context = SealContext("cases.recordidentity", field.name, str(record.uuid))
        values[field.name] = open_value(bytes(sealed), context, key) if sealed else ""
    return IdentityFields(**values)


def open_identities(records: Sequence[Record]) -> dict[int, IdentityFields]:
    """Decrypt many records' identities with two queries (no audit: as :func:`open_identity`,
    the caller audits); erased records, and records without an identity row, are left out.
    The duplicate check opens up to a hundred at a time: one at a time, the queries were
    nearly all of its time."""
    by_pk = {record.pk: record for record in records}
    keys = data_keys_for([record.uuid for record in records])
    opened: dict[int, IdentityFields] = {}
    for row in RecordIdentity.objects.filter(record_id__in=list(by_pk)):
        owner = str(by_pk[row.record_id].uuid)
        key = keys.get(owner)
        if key is None:
            continue
        values: dict[str, str] = {}
        for name in _IDENTITY_NAMES:
            sealed = getattr(row, name)
            context = SealContext("cases.recordidentity", name, owner)
            values[name] = open_value(bytes(sealed), context, key) if sealed else ""
        opened[row.record_id] = IdentityFields(**values)
    return opened


def reveal_identity(record: Record, actor: Actor, *, reason: str) -> IdentityFields:
    """Open a record's identity for ``actor`` and write the audit event of the reveal."""
    identity = open_identity(record)
    with transaction.atomic():
        record_event(
            actor,
            "cases.identity.reveal",
            record,
            project_id=record.project_id,
            details={"reason": reason},
        )
    return identity


def seal_narrative(narrative: EncounterNarrative, text: str, key: Key | None = None) -> None:
    encounter = narrative.encounter
    key = key or data_key_for(encounter.uuid, create=True)
    context = SealContext("cases.encounternarrative", "text", str(encounter.uuid))
    narrative.text = seal_value(text, context, key)


def open_narrative(narrative: EncounterNarrative) -> str:
    encounter = narrative.encounter
    context = SealContext("cases.encounternarrative", "text", str(encounter.uuid))
    return open_value(bytes(narrative.text), context, data_key_for(encounter.uuid, create=False))


def reveal_narrative(narrative: EncounterNarrative, actor: Actor) -> str:
    """Open an encounter's narrative for ``actor``, auditing the reveal."""
    text = open_narrative(narrative)
    encounter = narrative.encounter
    with transaction.atomic():
        record_event(actor, "cases.narrative.reveal", encounter, project_id=encounter.project_id)
    return text
