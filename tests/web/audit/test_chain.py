"""The audit log is a hash chain: any edit, deletion or reordering is found and named."""

from __future__ import annotations

import pytest

from testimonio.web.audit.log import verify_chain
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person
from testimonio.web.cases.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(project: Project) -> list[AuditEvent]:
    for _ in range(3):
        do_create_person(project, None)
    return list(AuditEvent.objects.order_by("sequence"))


def test_every_action_extends_one_unbroken_chain(chain: list[AuditEvent]) -> None:
    assert [event.sequence for event in chain] == list(range(1, len(chain) + 1))
    assert all(b.previous_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))
    assert verify_chain() == []


def test_verification_names_an_edited_event(chain: list[AuditEvent]) -> None:
    target = chain[2]
    AuditEvent.objects.filter(pk=target.pk).update(details={"pseudonym": "P-999999"})
    problems = verify_chain()
    assert [(p.sequence, p.reason) for p in problems] == [
        (target.sequence, "was altered after it was written")
    ]


def test_verification_names_a_deleted_event(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(pk=chain[1].pk).delete()
    problems = verify_chain()
    assert {p.sequence for p in problems} == {chain[2].sequence}
    assert any("expected event #2" in p.reason for p in problems)


def test_verification_finds_swapped_events(chain: list[AuditEvent]) -> None:
    first, second = chain[1], chain[2]
    AuditEvent.objects.filter(pk=first.pk).update(sequence=10_000)
    AuditEvent.objects.filter(pk=second.pk).update(sequence=first.sequence)
    AuditEvent.objects.filter(pk=first.pk).update(sequence=second.sequence)
    assert verify_chain() != []


@pytest.mark.django_db(transaction=True)
def test_recording_an_event_outside_a_transaction_is_a_bug(project: Project) -> None:
    from testimonio.web.audit.log import record_event

    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        record_event(None, "test", project)
