"""An intruder who holds the database file but not the audit key cannot rewrite the audit log
unnoticed: cutting events off the end, editing one and re-hashing everything after it (with
SHA-256 or a key of their own), or passing the chain off as one written before audit keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection

from testimonio.crypto.checkpoints import public_key_text, read_checkpoint
from testimonio.crypto.hash_chain import GENESIS_HASH, AuditKey, chain_hash, generate_audit_key
from testimonio.errors import ConfigurationError
from testimonio.web.audit.checkpoint import take_checkpoint
from testimonio.web.audit.keys import audit_key, forget_audit_key, signing_key
from testimonio.web.audit.log import AuditHeadError
from testimonio.web.audit.models import AuditEvent, AuditHead
from testimonio.web.audit.verification import check_checkpoint, verify_chain
from testimonio.web.cases.actions import do_create_person
from testimonio.web.cases.models import Project
from tests.web.audit.test_chain import drop_append_only_triggers

pytestmark = pytest.mark.django_db

Hasher = Callable[[str, dict[str, object]], str]


@pytest.fixture
def chain(project: Project) -> list[AuditEvent]:
    for _ in range(6):
        do_create_person(project, None)
    assert verify_chain() == []
    return list(AuditEvent.objects.order_by("sequence"))


def cut_off_the_end(count: int) -> None:
    """Delete the last ``count`` events with SQL, past the append-only triggers."""
    drop_append_only_triggers()
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)[0]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence > %s", [last - count])


def rewrite_from(sequence: int, hasher: Hasher) -> AuditEvent:
    """Edit event ``sequence``, re-hash it and every later event with ``hasher``, and move the
    head to the new last hash, as an intruder covering tracks would; returns the last event."""
    drop_append_only_triggers()
    AuditEvent.objects.filter(sequence=sequence).update(details={"pseudonym": "P-999999"})
    before = AuditEvent.objects.filter(sequence=sequence - 1).first()
    previous_hash = before.hash if before else GENESIS_HASH
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        event.previous_hash, event.hash = previous_hash, hasher(previous_hash, event.payload())
        AuditEvent.objects.filter(pk=event.pk).update(
            previous_hash=event.previous_hash, hash=event.hash
        )
        previous_hash = event.hash
    AuditHead.objects.filter(pk=1).update(last_hash=previous_hash)
    return event


def test_cutting_the_last_events_off_is_found(chain: list[AuditEvent]) -> None:
    cut_off_the_end(2)
    problems = verify_chain()
    assert [p.sequence for p in problems] == [None]
    assert "cut off the end" in problems[0].reason


def test_cutting_events_off_and_moving_the_head_back_is_found(chain: list[AuditEvent]) -> None:
    cut_off_the_end(2)
    new_last = chain[-3]
    AuditHead.objects.filter(pk=1).update(last_sequence=new_last.sequence, last_hash=new_last.hash)
    assert [p.reason for p in verify_chain()] == ["the head was altered: its seal does not match"]


def test_nothing_is_appended_after_a_head_moved_back(
    chain: list[AuditEvent], project: Project
) -> None:
    """Appending would re-seal the moved head and hide the cut: it is refused instead."""
    cut_off_the_end(2)
    AuditHead.objects.filter(pk=1).update(
        last_sequence=chain[-3].sequence, last_hash=chain[-3].hash
    )
    with pytest.raises(AuditHeadError, match="head was altered"):
        do_create_person(project, None)


def test_an_edit_rehashed_with_plain_sha256_is_found(chain: list[AuditEvent]) -> None:
    rewrite_from(3, chain_hash)
    problems = verify_chain()
    altered = [p for p in problems if p.sequence is not None]
    assert {p.sequence for p in altered} == set(range(3, len(chain) + 1))
    assert {p.reason for p in altered} == {"was altered after it was written"}
    assert [p.reason for p in problems if p.sequence is None] == [
        "the head was altered: its seal does not match"
    ]


def test_a_chain_passed_off_as_written_before_audit_keys_is_found(
    chain: list[AuditEvent],
) -> None:
    rewrite_from(1, chain_hash)  # every event, so each looks like a legacy one
    AuditHead.objects.filter(pk=1).update(keyed_from=None, key_id="", seal="")
    problems = verify_chain()
    assert [p.sequence for p in problems] == [None]
    assert "not sealed with the audit key" in problems[0].reason


def test_an_edit_rehashed_with_another_key_is_found(chain: list[AuditEvent]) -> None:
    other = AuditKey(b"\x07" * 32)
    last = rewrite_from(2, other.chain_hash)
    head = AuditHead.objects.get(pk=1)
    AuditHead.objects.filter(pk=1).update(
        seal=other.seal_head(last.sequence, last.hash, head.keyed_from or 1)
    )
    problems = verify_chain()
    assert {p.sequence for p in problems} == {*range(2, len(chain) + 1), None}


def test_the_real_key_verifies_what_it_wrote(chain: list[AuditEvent]) -> None:
    """The attacks above fail for want of the key, not because re-hashing is wrong: the same
    rewrite with the audit key itself passes (which is what checkpoints are for)."""
    key = audit_key()
    last = rewrite_from(3, key.chain_hash)
    head = AuditHead.objects.get(pk=1)
    AuditHead.objects.filter(pk=1).update(
        seal=key.seal_head(last.sequence, last.hash, head.keyed_from or 1)
    )
    assert verify_chain() == []


def test_a_rewrite_after_a_checkpoint_is_found_even_with_the_audit_key(
    chain: list[AuditEvent], project: Project, tmp_path: Path
) -> None:
    document, _ = take_checkpoint(datetime(2026, 12, 3, 12, tzinfo=UTC))
    path = tmp_path / "checkpoint.json"
    path.write_text(document, encoding="utf-8")
    checkpoint = read_checkpoint(path, public_key_text(signing_key()))
    assert checkpoint.events == len(chain)
    assert check_checkpoint(checkpoint) == []

    key = audit_key()
    cut_off_the_end(2)
    last = rewrite_from(2, key.chain_hash)
    keyed_from = AuditHead.objects.get(pk=1).keyed_from or 1
    AuditHead.objects.filter(pk=1).update(
        last_sequence=last.sequence,
        seal=key.seal_head(last.sequence, last.hash, keyed_from),
    )
    for _ in range(2):  # new events in place of the cut ones, so the count matches again
        do_create_person(project, None)
    assert verify_chain() == []
    problems = check_checkpoint(checkpoint)
    assert [p.sequence for p in problems] == [len(chain)]
    assert "rewritten" in problems[0].reason


def test_a_chain_shorter_than_its_checkpoint_is_found(
    chain: list[AuditEvent], tmp_path: Path
) -> None:
    document, _ = take_checkpoint(datetime(2026, 12, 3, 12, tzinfo=UTC))
    path = tmp_path / "checkpoint.json"
    path.write_text(document, encoding="utf-8")
    cut_off_the_end(1)
    checkpoint = read_checkpoint(path, public_key_text(signing_key()))
    assert "shorter than the checkpoint" in check_checkpoint(checkpoint)[0].reason


@pytest.fixture
def another_audit_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The instance started with some other audit key (a lost key replaced by a new one)."""
    monkeypatch.setenv("TESTIMONIO_AUDIT_KEY", generate_audit_key())
    forget_audit_key()
    yield
    monkeypatch.undo()
    forget_audit_key()


def test_nothing_is_appended_under_another_audit_key(
    chain: list[AuditEvent], project: Project, another_audit_key: None
) -> None:
    with pytest.raises(ConfigurationError, match="restore TESTIMONIO_AUDIT_KEY_FILE"):
        do_create_person(project, None)
    with pytest.raises(ConfigurationError, match="verify with the key it was written with"):
        verify_chain()
