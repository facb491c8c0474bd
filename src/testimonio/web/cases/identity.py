"""Sealing and revealing identity fields inside the web app's trust boundary.

Plaintext identity values exist only in memory here and in the view that shows them to a role
allowed to see them; every reveal is an audit event. The master key comes from
TESTIMONIO_MASTER_KEY(_FILE); without it, pages that need identity data say so.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

from django.db import transaction

from testimonio.config import load_config, read_secret
from testimonio.crypto import MasterKey, SealContext, open_value, parse_master_key, seal_value
from testimonio.errors import ConfigurationError
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import EncounterNarrative, Record, RecordIdentity


@dataclass(frozen=True)
class IdentityFields:
    """The identifying details of one record, in plaintext (memory only)."""

    given_names: str = ""
    surnames: str = ""
    birth_date: str = ""
    phone: str = ""
    identity_document: str = ""

    def __repr__(self) -> str:
        # Never let a traceback or a debugger's repr print identity values.
        return "IdentityFields(<sealed>)"


@lru_cache(maxsize=1)
def master_key() -> MasterKey:
    """The configured master key; a clear error if it is missing."""
    config = load_config()
    encoded = read_secret("TESTIMONIO_MASTER_KEY", config.master_key_file)
    if encoded is None:
        raise ConfigurationError(
            "No master key: identity data cannot be read or written. Run `testimonio init` "
            "or set TESTIMONIO_MASTER_KEY_FILE."
        )
    return parse_master_key(encoded)


def seal_identity(record: Record, identity: IdentityFields) -> RecordIdentity:
    """Build (unsaved) the sealed identity row of ``record``; empty values stay empty."""
    row = RecordIdentity(record=record)
    for field in fields(IdentityFields):
        value = getattr(identity, field.name)
        context = SealContext("cases.recordidentity", field.name, str(record.uuid))
        setattr(row, field.name, seal_value(value, context, master_key()) if value else None)
    return row


def reveal_identity(record: Record, actor: Actor, *, reason: str) -> IdentityFields:
    """Open a record's identity for ``actor`` and write the audit event of the reveal."""
    row = RecordIdentity.objects.filter(record=record).first()
    values: dict[str, str] = {}
    for field in fields(IdentityFields):
        sealed = getattr(row, field.name, None) if row else None
        context = SealContext("cases.recordidentity", field.name, str(record.uuid))
        values[field.name] = open_value(bytes(sealed), context, master_key()) if sealed else ""
    with transaction.atomic():
        record_event(
            actor,
            "cases.identity.reveal",
            record,
            project_id=record.project_id,
            details={"reason": reason},
        )
    return IdentityFields(**values)


def seal_narrative(narrative: EncounterNarrative, text: str) -> None:
    context = SealContext("cases.encounternarrative", "text", str(narrative.encounter.uuid))
    narrative.text = seal_value(text, context, master_key())


def reveal_narrative(narrative: EncounterNarrative, actor: Actor) -> str:
    """Open an encounter's narrative for ``actor``, auditing the reveal."""
    encounter = narrative.encounter
    context = SealContext("cases.encounternarrative", "text", str(encounter.uuid))
    text = open_value(bytes(narrative.text), context, master_key())
    with transaction.atomic():
        record_event(actor, "cases.narrative.reveal", encounter, project_id=encounter.project_id)
    return text
