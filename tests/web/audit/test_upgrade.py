"""A chain written before audit keys (plain SHA-256) still verifies after the upgrade, is sealed
once by ``testimonio init``, and is then anchored by the first keyed event after it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from testimonio.crypto.hash_chain import GENESIS_HASH, chain_hash
from testimonio.web.audit.log import AuditHeadError
from testimonio.web.audit.models import AuditEvent, AuditHead
from testimonio.web.audit.verification import seal_legacy_chain, verify_chain
from testimonio.web.cases.actions import do_create_person
from testimonio.web.cases.models import Project
from tests.web.audit.test_chain import drop_append_only_triggers

pytestmark = pytest.mark.django_db


def write_legacy_chain(count: int) -> list[AuditEvent]:
    """Events as the code before audit keys wrote them, and its unsealed head."""
    drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    AuditHead.objects.all().delete()
    previous_hash, events = GENESIS_HASH, []
    for sequence in range(1, count + 1):
        event = AuditEvent(
            sequence=sequence,
            at=timezone.now(),
            actor_label="system",
            action="cases.person.create",
            object_type="cases.person",
            object_id=str(sequence),
            details={"pseudonym": f"P-{sequence:06d}"},
            previous_hash=previous_hash,
        )
        event.hash = chain_hash(previous_hash, event.payload())
        event.save()
        events.append(event)
        previous_hash = event.hash
    AuditHead.objects.create(pk=1, last_sequence=count, last_hash=previous_hash)
    return events


def test_a_legacy_chain_is_refused_for_appending_until_it_is_sealed(project: Project) -> None:
    write_legacy_chain(3)
    with pytest.raises(AuditHeadError, match="never sealed"):
        do_create_person(project, None)
    assert seal_legacy_chain() == 3
    assert seal_legacy_chain() is None  # once only
    do_create_person(project, None)
    head = AuditHead.objects.get(pk=1)
    assert (head.keyed_from, head.last_sequence) == (4, 4)
    assert verify_chain() == []


def test_a_legacy_event_rehashed_after_the_upgrade_breaks_the_first_keyed_event(
    project: Project,
) -> None:
    events = write_legacy_chain(3)
    seal_legacy_chain()
    do_create_person(project, None)
    previous_hash = events[0].hash
    for event in events[1:]:  # edit #2 and re-hash the legacy events after it with SHA-256
        event.details, event.previous_hash = {"pseudonym": "P-999999"}, previous_hash
        event.hash = chain_hash(previous_hash, event.payload())
        AuditEvent.objects.filter(pk=event.pk).update(
            details=event.details, previous_hash=event.previous_hash, hash=event.hash
        )
        previous_hash = event.hash
    assert [(p.sequence, p.reason) for p in verify_chain()] == [
        (4, "does not follow the event before it")
    ]


def test_a_broken_legacy_chain_is_not_sealed() -> None:
    events = write_legacy_chain(3)
    AuditEvent.objects.filter(pk=events[1].pk).update(details={})
    with pytest.raises(AuditHeadError, match="broken"):
        seal_legacy_chain()
    assert AuditHead.objects.get(pk=1).keyed_from is None


def test_before_the_upgrade_the_plain_chain_verifies_and_its_end_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TESTIMONIO_AUDIT_KEY")  # an instance from before audit keys has none
    events = write_legacy_chain(3)
    assert verify_chain() == []
    AuditEvent.objects.filter(pk=events[-1].pk).delete()
    assert [p.sequence for p in verify_chain()] == [None]
