"""The audit log is a hash chain: any edit, deletion or reordering is found and named."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from testimonio.web.audit.log import verify_chain
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person
from testimonio.web.cases.models import Project

pytestmark = pytest.mark.django_db


def drop_append_only_triggers() -> None:
    """What an intruder with the database owner's login could do (undone with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


@pytest.fixture
def chain(project: Project) -> list[AuditEvent]:
    for _ in range(3):
        do_create_person(project, None)
    return list(AuditEvent.objects.order_by("sequence"))


def test_every_action_extends_one_unbroken_chain(chain: list[AuditEvent]) -> None:
    assert [event.sequence for event in chain] == list(range(1, len(chain) + 1))
    assert all(b.previous_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))
    assert verify_chain() == []


def test_the_database_refuses_to_edit_an_event(chain: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[0].pk).update(details={})
    assert verify_chain() == []


def test_the_database_refuses_to_delete_an_event(chain: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[0].pk).delete()
    assert AuditEvent.objects.count() == len(chain)


def test_verification_names_an_edited_event(chain: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    target = chain[2]
    AuditEvent.objects.filter(pk=target.pk).update(details={"pseudonym": "P-999999"})
    problems = verify_chain()
    assert [(p.sequence, p.reason) for p in problems] == [
        (target.sequence, "was altered after it was written")
    ]


def test_verification_names_a_deleted_event(chain: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    AuditEvent.objects.filter(pk=chain[1].pk).delete()
    problems = verify_chain()
    assert {p.sequence for p in problems} == {chain[2].sequence}
    assert any("expected event #2" in p.reason for p in problems)


def test_verification_finds_swapped_events(chain: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    first, second = chain[1], chain[2]
    AuditEvent.objects.filter(pk=first.pk).update(sequence=10_000)
    AuditEvent.objects.filter(pk=second.pk).update(sequence=first.sequence)
    AuditEvent.objects.filter(pk=first.pk).update(sequence=second.sequence)
    assert verify_chain() != []


def test_recording_an_event_outside_a_transaction_is_a_bug(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimonio.web.audit.log import record_event

    # Tests run inside a transaction; pretend this call came from outside any.
    monkeypatch.setattr(transaction.get_connection(), "in_atomic_block", False)
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        record_event(None, "test", project)
