"""Erase a person's identifying data (crypto-shredding), unless a legal hold forbids it.

Erased people are also noted (by UUID) in a ledger in the instance folder, outside the database
and its backups, so that ``testimonio erasures reapply`` can erase them again after a backup
taken before the erasure has been restored.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from testimonio.config import load_config
from testimonio.errors import PermissionDenied
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.actions.corrections import (
    ENCOUNTER_ACTION,
    RECORD_ACTION,
    correction_keys,
)
from testimonio.web.cases.models import (
    Encounter,
    EncounterNarrative,
    Person,
    Record,
    RecordIdentity,
)
from testimonio.web.evidence.models import Document
from testimonio.web.keys.ring import destroy_data_keys


def do_set_legal_hold(person: Person, hold: bool, actor: Actor, *, reason: str) -> Person:
    """Put a person's data under legal hold (or lift it); erasure is refused while it holds."""
    with transaction.atomic():
        person.legal_hold = hold
        person.save(update_fields=["legal_hold"])
        record_event(
            actor,
            "cases.person.legal_hold",
            person,
            project_id=person.project_id,
            details={"hold": hold, "reason": reason},
        )
    return person


def do_erase_person(person: Person, actor: Actor, *, reason: str) -> int:
    """Destroy the data keys of the person's records and encounters; return how many.

    The pseudonym, non-identifying attributes and codings stay, so statistics still add up;
    names, birth dates, phones, document numbers, narratives and the provenance (file, sheet,
    row) become unreadable everywhere, including in backups taken earlier once this erasure is
    applied to them again; the keyed row fingerprint and record key are cleared, so nothing
    leads from the pseudonym back to a row of the original list, even with the key. (A
    re-import of that list therefore brings the row back as a new record.)
    """
    if person.legal_hold:
        with transaction.atomic():
            record_event(
                actor,
                "cases.person.erase_refused",
                person,
                project_id=person.project_id,
                details={"reason": reason, "why": "legal hold"},
            )
        raise PermissionDenied(f"{person.pseudonym} is under legal hold: erasure refused.")
    with transaction.atomic():
        destroyed = _shred(person)
        record_event(
            actor,
            "cases.person.erase",
            person,
            project_id=person.project_id,
            details={"reason": reason, "data_keys_destroyed": destroyed},
        )
    _append_to_ledger(person)
    _flush_freed_pages()
    return destroyed


def do_reapply_erasures(actor: Actor) -> int:
    """Erase again everyone in the ledger whose data keys are back (a restored backup)."""
    destroyed = 0
    for person in Person.objects.filter(uuid__in=read_erasure_ledger()):
        with transaction.atomic():
            count = _shred(person)
            if count:
                record_event(
                    actor,
                    "cases.person.erase_reapplied",
                    person,
                    project_id=person.project_id,
                    details={"data_keys_destroyed": count},
                )
        destroyed += count
    _flush_freed_pages()
    return destroyed


def read_erasure_ledger() -> list[uuid.UUID]:
    path = _ledger_path()
    if not path.exists():
        return []
    return [uuid.UUID(line) for line in path.read_text(encoding="ascii").split()]


def _shred(person: Person) -> int:
    records = list(Record.objects.filter(person=person).values_list("uuid", flat=True))
    encounters = list(Encounter.objects.filter(person=person).values_list("uuid", flat=True))
    documents = list(Document.objects.filter(person=person).values_list("uuid", flat=True))
    corrected = _correction_keys(person)
    destroyed = destroy_data_keys(records + encounters + documents + corrected)
    RecordIdentity.objects.filter(record__person=person).delete()  # with the provenance
    # The keyed row fingerprint and record key would still tell, to someone holding the key
    # and the original list, which row this pseudonym came from.
    Record.objects.filter(person=person).update(raw_hash="", external_id="")
    EncounterNarrative.objects.filter(encounter__person=person).delete()
    if person.erased_at is None:
        person.erased_at = timezone.now()
        person.save(update_fields=["erased_at"])
    return destroyed


def _correction_keys(person: Person) -> list[uuid.UUID]:
    """The keys sealing the previous values of corrections to the person's records and
    encounters: the old name is as much the person's as the new one."""
    records = [str(pk) for pk in Record.objects.filter(person=person).values_list("pk", flat=True)]
    encounters = Encounter.objects.filter(person=person).values_list("pk", flat=True)
    return correction_keys(RECORD_ACTION, records) + correction_keys(
        ENCOUNTER_ACTION, [str(pk) for pk in encounters]
    )


def _ledger_path() -> Path:
    return load_config().erasure_ledger_file


def _append_to_ledger(person: Person) -> None:
    path = _ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="ascii") as ledger:
        ledger.write(f"{person.uuid}\n")
        ledger.flush()
        os.fsync(ledger.fileno())


def _flush_freed_pages() -> None:
    """On SQLite, move the WAL into the (secure_delete) main file and truncate the WAL."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
