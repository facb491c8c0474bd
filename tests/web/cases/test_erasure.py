"""Erasing a person makes their identity unreadable everywhere, unless a legal hold forbids it."""

from __future__ import annotations

import pytest

from testimonio.errors import PermissionDenied
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import (
    do_create_record,
    do_erase_person,
    do_reapply_erasures,
    do_record_encounter,
    do_set_legal_hold,
)
from testimonio.web.cases.models import EncounterNarrative, Person, Record, RecordIdentity, Source
from testimonio.web.keys.identity import IdentityFields, open_identity, open_narrative
from testimonio.web.keys.models import DataKey
from testimonio.web.keys.ring import ErasedError

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(source: Source, person: Person) -> Record:
    return do_create_record(
        source, None, person=person, identity=IdentityFields("Canarito", "Zzyzx", "1991")
    )


def test_erasure_destroys_the_data_keys_and_keeps_the_statistics(
    record: Record, person: Person
) -> None:
    encounter = do_record_encounter(person, None, date="2018", narrative="Me dijeron que no.")
    destroyed = do_erase_person(person, None, reason="the person asked")
    assert destroyed == 2
    assert not RecordIdentity.objects.filter(record=record).exists()
    assert not EncounterNarrative.objects.filter(encounter=encounter).exists()
    assert DataKey.objects.get(owner=record.uuid).wrapped is None
    person.refresh_from_db()
    assert person.erased_at is not None and person.encounters.count() == 1
    assert AuditEvent.objects.filter(action="cases.person.erase").exists()


def test_a_legal_hold_refuses_erasure_and_the_attempt_is_audited(
    record: Record, person: Person
) -> None:
    do_set_legal_hold(person, True, None, reason="litigation pending")
    with pytest.raises(PermissionDenied, match="legal hold"):
        do_erase_person(person, None, reason="asked")
    assert open_identity(record).given_names == "Canarito"
    assert AuditEvent.objects.filter(action="cases.person.erase_refused").exists()


def test_a_backup_taken_before_erasure_is_unreadable_once_erasure_is_reapplied(
    record: Record, person: Person
) -> None:
    encounter = do_record_encounter(person, None, date="2018", narrative="Me dijeron que no.")
    backup_identity = list(RecordIdentity.objects.filter(record=record).values())
    backup_narrative = list(EncounterNarrative.objects.filter(encounter=encounter).values())
    backup_keys = {row.owner: bytes(row.wrapped) for row in DataKey.objects.all() if row.wrapped}
    do_erase_person(person, None, reason="the person asked")

    # Restore the old backup over the erased rows: everything is readable again...
    RecordIdentity.objects.bulk_create(RecordIdentity(**row) for row in backup_identity)
    EncounterNarrative.objects.bulk_create(EncounterNarrative(**row) for row in backup_narrative)
    for owner, wrapped in backup_keys.items():
        DataKey.objects.filter(owner=owner).update(wrapped=wrapped, destroyed_at=None)
    assert open_identity(record).given_names == "Canarito"

    # ...until the erasures in the ledger (kept outside the database) are applied again.
    assert do_reapply_erasures(None) == 2
    with pytest.raises(ErasedError, match="erased"):
        data_key_row = DataKey.objects.get(owner=record.uuid)
        assert data_key_row.wrapped is None
        RecordIdentity.objects.bulk_create(RecordIdentity(**row) for row in backup_identity)
        open_identity(record)
    narrative = EncounterNarrative(**backup_narrative[0])
    narrative.encounter = encounter
    with pytest.raises(ErasedError):
        open_narrative(narrative)
