"""Append to and verify the audit chain. Every action calls :func:`record_event` in its transaction.

Appending locks the single :class:`AuditHead` row, so concurrent writers queue and the chain
never forks (on SQLite the IMMEDIATE transaction mode gives the same order). Events are written
with one prepared statement (:mod:`testimonio.web.bulk_insert`): an import appends one per
record, a hundred thousand at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.utils import timezone

from testimonio.crypto import GENESIS_HASH, chain_hash
from testimonio.web.audit.models import AuditEvent, AuditHead
from testimonio.web.bulk_insert import RowInserter, reserve_ids

Actor = User | AnonymousUser | None


@dataclass(frozen=True)
class TargetRef:
    """A row named by its model label and primary key, for writers that hold no model object."""

    label: str
    pk: object


@dataclass(frozen=True)
class PendingEvent:
    """An event to append: what happened to which target (a row, or the name of something)."""

    action: str
    target: models.Model | TargetRef | str
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
    alias = transaction.get_connection().alias
    return [
        AuditEvent.from_db(alias, _COLUMNS, [values[name] for name in _COLUMNS])
        for values in _append(actor, pending)
    ]


def append_events(actor: Actor, pending: list[PendingEvent]) -> None:
    """:func:`record_events` for bulk writers that need no model objects back (an import's
    hundred thousand events): the same chain, the same rows, less work."""
    _append(actor, pending)


def _append(actor: Actor, pending: list[PendingEvent]) -> list[dict[str, Any]]:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the action's transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    sequence, previous_hash, now = head.last_sequence, head.last_hash, timezone.now()
    who = (getattr(actor, "pk", None), _label(actor))
    rows = []
    for item, pk in zip(pending, reserve_ids(AuditEvent, len(pending)), strict=True):
        sequence += 1
        values = _event(who, item, sequence, now, previous_hash)
        values["id"], previous_hash = pk, values["hash"]
        rows.append(values)
    RowInserter(AuditEvent, _COLUMNS).insert([[row[name] for name in _COLUMNS] for row in rows])
    head.last_sequence, head.last_hash = sequence, previous_hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return rows


_COLUMNS = [field.attname for field in AuditEvent._meta.concrete_fields]


def _event(
    who: tuple[int | None, str],
    item: PendingEvent,
    sequence: int,
    at: datetime,
    previous_hash: str,
) -> dict[str, Any]:
    """An event's column values, its hash computed by :meth:`AuditEvent.payload` itself (the
    one definition of what the hash covers) without building the model object."""
    target = item.target
    if isinstance(target, str):
        object_type, object_id = target, ""
    elif isinstance(target, TargetRef):
        object_type, object_id = target.label, str(target.pk)
    else:
        object_type, object_id = target._meta.label_lower, str(target.pk)
    values: dict[str, Any] = {
        "sequence": sequence,
        "at": at,
        "actor_id": who[0],
        "actor_label": who[1],
        "action": item.action,
        "object_type": object_type,
        "object_id": object_id,
        "project_id": item.project_id,
        "details": dict(item.details or {}),
        "previous_hash": previous_hash,
    }
    payload = AuditEvent.payload(cast(AuditEvent, SimpleNamespace(**values)))
    values["hash"] = chain_hash(previous_hash, payload)
    return values


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
