"""Append to and verify the audit chain. Every action calls :func:`record_event` in its transaction.

Appending locks the single :class:`AuditHead` row, so concurrent writers queue and the chain
never forks (on SQLite the IMMEDIATE transaction mode gives the same order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.utils import timezone

from testimonio.crypto import GENESIS_HASH, chain_hash
from testimonio.web.audit.models import AuditEvent, AuditHead

Actor = User | AnonymousUser | None


@dataclass(frozen=True)
class PendingEvent:
    """An event to append: what happened to which target (a row, or the name of something)."""

    action: str
    target: models.Model | str
    project_id: int | None = None
    details: Mapping[str, Any] | None = None


def record_event(
    actor: Actor,
    action: str,
    target: models.Model | str,
    *,
    project_id: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event about ``target`` (a row, or the name of something that is not one);
    must run inside the caller's transaction."""
    return record_events(actor, [PendingEvent(action, target, project_id, details)])[0]


def record_events(actor: Actor, pending: list[PendingEvent]) -> list[AuditEvent]:
    """Append events in order with one lock of the chain's head (bulk imports write thousands)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the action's transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    sequence, previous_hash, now = head.last_sequence, head.last_hash, timezone.now()
    events = []
    for item in pending:
        sequence += 1
        event = _event(actor, item, sequence, now, previous_hash)
        previous_hash = event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    head.last_sequence, head.last_hash = sequence, previous_hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return events


def _event(
    actor: Actor, item: PendingEvent, sequence: int, at: datetime, previous_hash: str
) -> AuditEvent:
    target = item.target
    event = AuditEvent(
        sequence=sequence,
        at=at,
        actor_id=getattr(actor, "pk", None),
        actor_label=_label(actor),
        action=item.action,
        object_type=target if isinstance(target, str) else target._meta.label_lower,
        object_id="" if isinstance(target, str) else str(target.pk),
        project_id=item.project_id,
        details=dict(item.details or {}),
        previous_hash=previous_hash,
    )
    event.hash = chain_hash(previous_hash, event.payload())
    return event


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    reason: str


def verify_chain() -> list[ChainProblem]:
    """Re-hash every event in order; name each edited, missing or reordered one."""
    problems: list[ChainProblem] = []
    previous_hash, expected_sequence = GENESIS_HASH, 1
    for event in AuditEvent.objects.order_by("sequence").iterator():
        if event.sequence != expected_sequence:
            problems.append(ChainProblem(event.sequence, f"expected event #{expected_sequence}"))
        if event.previous_hash != previous_hash:
            problems.append(ChainProblem(event.sequence, "does not follow the event before it"))
        if chain_hash(event.previous_hash, event.payload()) != event.hash:
            problems.append(ChainProblem(event.sequence, "was altered after it was written"))
        previous_hash, expected_sequence = event.hash, event.sequence + 1
    return problems


def _label(actor: Actor) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    return actor.get_username()
