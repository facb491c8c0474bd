"""Check the audit chain: every event re-hashed in order, the sealed head, signed checkpoints.

What an intruder holding the database but not the audit key can no longer hide: an edited
event (even with every later hash recomputed with SHA-256, or with a wrong key), a deleted or
reordered one, events cut off the end (the sealed head still names the old last event), and a
chain passed off as written before the audit key existed. What they can still do, a checkpoint
kept outside the database finds: putting back a whole older copy of the database (a consistent
older chain and head) or, with the audit key too, rewriting history after the checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from testimonio.crypto import GENESIS_HASH, AuditKey, Checkpoint, chain_hash
from testimonio.errors import ConfigurationError, TestimonioError
from testimonio.web.audit.keys import audit_key, audit_key_is_configured
from testimonio.web.audit.models import AuditEvent, AuditHead


class AuditHeadError(TestimonioError):
    """The chain's head is not as the last append left it, or the chain cannot be sealed."""


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with the chain: at an event (its sequence), or at the head (None)."""

    sequence: int | None
    reason: str


@dataclass(frozen=True)
class _End:
    """Where the events end: the last sequence and hash (0 and the genesis hash if none)."""

    sequence: int = 0
    hash: str = GENESIS_HASH


def verify_chain() -> list[ChainProblem]:
    """Re-hash every event in order and compare the end with the sealed head; name each
    edited, missing or reordered event and any change to the head."""
    head = AuditHead.objects.filter(pk=1).first()
    keyed = head is not None and head.keyed_from is not None
    if not keyed and not audit_key_is_configured():
        # Not upgraded yet (no audit key): the plain SHA-256 chain verifies as it always did,
        # and its end against the (unsealed) head.
        problems, end = _event_problems(None, None)
        return problems + _end_problems(head, end)
    key = audit_key()
    if head is not None and head.keyed_from is not None and head.key_id != key.key_id:
        raise ConfigurationError(
            f"The audit log is keyed with audit key {head.key_id}, but the key configured is "
            f"{key.key_id}: verify with the key it was written with."
        )
    problems, end = _event_problems(key, head.keyed_from if head else None)
    return problems + _head_problems(head, key, end)


def _event_problems(
    key: AuditKey | None, keyed_from: int | None
) -> tuple[list[ChainProblem], _End]:
    problems: list[ChainProblem] = []
    previous_hash, expected_sequence = GENESIS_HASH, 1
    end = _End()
    for event in AuditEvent.objects.order_by("sequence").iterator():
        if event.sequence != expected_sequence:
            problems.append(ChainProblem(event.sequence, f"expected event #{expected_sequence}"))
        if event.previous_hash != previous_hash:
            problems.append(ChainProblem(event.sequence, "does not follow the event before it"))
        legacy = key is None or keyed_from is None or event.sequence < keyed_from
        hashed = chain_hash if key is None or legacy else key.chain_hash
        if hashed(event.previous_hash, event.payload()) != event.hash:
            problems.append(ChainProblem(event.sequence, "was altered after it was written"))
        previous_hash, expected_sequence = event.hash, event.sequence + 1
        end = _End(event.sequence, event.hash)
    return problems, end


def _head_problems(head: AuditHead | None, key: AuditKey, end: _End) -> list[ChainProblem]:
    if head is None:
        return [] if end.sequence == 0 else [ChainProblem(None, "the chain's head is missing")]
    if head.keyed_from is None:
        if head.last_sequence == 0 and end.sequence == 0 and not head.seal:
            return []
        return [ChainProblem(None, _UNSEALED)]
    problems = []
    if head.seal != key.seal_head(head.last_sequence, head.last_hash, head.keyed_from):
        problems.append(ChainProblem(None, "the head was altered: its seal does not match"))
    return problems + _end_problems(head, end)


def _end_problems(head: AuditHead | None, end: _End) -> list[ChainProblem]:
    """Does the chain end where its head says (the last sequence, with the last hash)?"""
    problems: list[ChainProblem] = []
    if head is None:
        return problems
    if head.last_sequence > end.sequence:
        problems.append(
            ChainProblem(
                None,
                f"the head names event #{head.last_sequence} as the last, but the chain ends "
                f"at #{end.sequence}: events were cut off the end",
            )
        )
    elif head.last_sequence < end.sequence:
        problems.append(
            ChainProblem(None, f"events after the head's last event #{head.last_sequence}")
        )
    elif head.last_hash != end.hash:
        problems.append(ChainProblem(None, "the last event is not the one the head names"))
    return problems


_UNSEALED = (
    "the head is not sealed with the audit key: either the chain was written before the "
    "audit key and `testimonio init` has not sealed it yet, or the head was tampered with"
)


def check_checkpoint(checkpoint: Checkpoint) -> list[ChainProblem]:
    """Does the chain still hold the checkpoint's state (its last event, with that hash)?"""
    if checkpoint.events == 0:
        return []
    event = AuditEvent.objects.filter(sequence=checkpoint.events).first()
    if event is None:
        return [
            ChainProblem(
                checkpoint.events,
                f"is missing: the chain is shorter than the checkpoint of {checkpoint.at:%Y-%m-%d}",
            )
        ]
    if event.hash != checkpoint.head:
        return [
            ChainProblem(
                checkpoint.events,
                f"is not the event signed in the checkpoint of {checkpoint.at:%Y-%m-%d}: "
                "the chain was rewritten",
            )
        ]
    return []


def seal_legacy_chain() -> int | None:
    """Seal a chain written before the audit key: its events keep their SHA-256 hashes and
    every event after them is keyed. Returns how many events were sealed (None: nothing to
    seal). Refuses a broken chain: sealing it would vouch for the damage."""
    key = audit_key()
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None or head.keyed_from is not None:
            return None
        problems, end = _event_problems(None, None)
        if problems or (head.last_sequence, head.last_hash) != (end.sequence, end.hash):
            raise AuditHeadError(
                "The audit chain is broken, so it was not sealed with the new audit key: "
                "run `testimonio audit verify` to see where."
            )
        head.keyed_from, head.key_id = end.sequence + 1, key.key_id
        head.seal = key.seal_head(head.last_sequence, head.last_hash, head.keyed_from)
        head.save(update_fields=["keyed_from", "key_id", "seal"])
    return end.sequence
