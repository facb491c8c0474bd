"""Append to and verify the audit chain. Every action calls :func:`record_event` in its transaction.

Appending locks the single :class:`AuditHead` row, so concurrent writers queue and the chain
never forks (on SQLite the IMMEDIATE transaction mode gives the same order). Events are written
with one prepared statement (:mod:`testimonio.web.db.bulk_insert`): an import appends one per
record, a hundred thousand at a time.

Every event is hashed with HMAC-SHA256 under the audit key (:mod:`testimonio.web.audit.keys`)
and the head is sealed under it (:mod:`testimonio.crypto.hash_chain`). Appending checks the
head's seal first: a head moved back by someone without the key is refused, never continued
(continuing would re-seal it and hide the events cut off the end).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.utils import timezone

from testimonio.crypto import AuditKey
from testimonio.errors import ConfigurationError
from testimonio.web.audit.keys import audit_key
from testimonio.web.audit.models import AuditEvent, AuditHead
from testimonio.web.audit.verification import AuditHeadError, ChainProblem, verify_chain
from testimonio.web.db.bulk_insert import RowInserter, reserve_ids

Actor = User | AnonymousUser | None

__all__ = [
    "Actor",
    "AuditHeadError",
    "ChainProblem",
    "EventChain",
    "PendingEvent",
    "TargetRef",
    "append_events",
    "close_chain",
    "open_chain",
    "record_event",
    "record_events",
    "verify_chain",
]


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
    rows = _append(actor, pending)
    return [
        AuditEvent.from_db(
            alias,
            _COLUMNS,
            [
                dict(item.details or {}) if name == "details" else value
                for name, value in zip(_COLUMNS, row, strict=True)
            ],
        )
        for item, row in zip(pending, rows, strict=True)
    ]


def append_events(actor: Actor, pending: list[PendingEvent]) -> None:
    """:func:`record_events` for bulk writers that need no model objects back (an import's
    hundred thousand events): the same chain, the same rows, less work."""
    _append(actor, pending)


#: The columns an event is written with, in the order :func:`_append` gives them.
_COLUMNS = [
    "id",
    "sequence",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "project_id",
    "details",
    "previous_hash",
    "hash",
]
if sorted(_COLUMNS) != sorted(field.attname for field in AuditEvent._meta.concrete_fields):
    raise ImportError(
        "audit.log._COLUMNS no longer matches the AuditEvent model"
    )  # pragma: no cover


def _append(actor: Actor, pending: list[PendingEvent]) -> list[tuple[Any, ...]]:
    """Write ``pending`` after the chain's head; returns the rows written (values in the order
    of ``_COLUMNS``; details as stored: JSON text on SQLite, JSON values elsewhere)."""
    chain = open_chain(actor)
    rows = chain.rows(pending, reserve_ids(AuditEvent, len(pending)))
    chain.inserter.insert_prepared(chain.inserter.prepare(rows))
    close_chain(chain)
    return rows


class EventChain:
    """The chain's state while one transaction appends events after its locked head.

    :meth:`rows` makes the rows of the next events (canonical JSON, sequence numbers, hashes)
    without reading or writing the database, so a bulk writer may make them anywhere, even in
    a worker process, as long as the rows are written in order and :func:`close_chain` stores
    the last sequence and hash in the head.
    """

    def __init__(
        self,
        actor: Actor,
        head: AuditHead,
        at: datetime,
        as_text: bool,
        key: AuditKey,
    ) -> None:
        self.sequence, self.previous_hash, self.at = head.last_sequence, head.last_hash, at
        self.keyed_from = head.keyed_from or head.last_sequence + 1
        self.key = key
        self.actor_id, self.label = getattr(actor, "pk", None), _label(actor)
        self.canonical = _Canonical(self.actor_id, self.label, at, key)
        # The details column keeps what the hash covers: on SQLite the very text; other
        # backends adapt it to their JSON type (a date or UUID in details is stored as the text
        # it hashed).
        self.as_text = as_text
        self.inserter = RowInserter(AuditEvent, _COLUMNS, prepared=["details"] if as_text else ())

    def encode(self, pending: Sequence[PendingEvent]) -> list[str]:
        """The canonical JSON of each event's details: the costly part of :meth:`rows`, which
        does not depend on the chain, so a bulk writer can do it before its turn comes."""
        encode = self.canonical.encode
        return [encode(dict(item.details or {})) for item in pending]

    def rows(
        self,
        pending: Sequence[PendingEvent],
        ids: Sequence[int],
        encoded: Sequence[str] | None = None,
    ) -> list[tuple[Any, ...]]:
        """The rows of ``pending`` (with primary keys ``ids``) after the chain's last event;
        ``encoded`` is :meth:`encode` of ``pending`` if the caller made it already."""
        canonical, as_text = self.canonical, self.as_text
        sequence, previous_hash = self.sequence, self.previous_hash
        rows = []
        for item, pk, details in zip(
            pending, ids, self.encode(pending) if encoded is None else encoded, strict=True
        ):
            sequence += 1
            object_type, object_id = _target(item.target)
            digest = canonical.hash(previous_hash, item, object_type, object_id, details, sequence)
            rows.append(
                (
                    pk,
                    sequence,
                    self.at,
                    self.actor_id,
                    self.label,
                    item.action,
                    object_type,
                    object_id,
                    item.project_id,
                    details if as_text else json.loads(details),
                    previous_hash,
                    digest,
                )
            )
            previous_hash = digest
        self.sequence, self.previous_hash = sequence, previous_hash
        return rows


def open_chain(actor: Actor) -> EventChain:
    """Lock the chain's head for the caller's transaction and continue the chain from it."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must run inside the action's transaction")
    key = audit_key()
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    check_head(head, key)
    return EventChain(actor, head, timezone.now(), as_text=connection.vendor == "sqlite", key=key)


def check_head(head: AuditHead, key: AuditKey) -> None:
    """Refuse to append after a head that this key did not seal (or an old, unsealed chain)."""
    if head.keyed_from is None:
        if head.last_sequence == 0 and not head.seal:
            return  # a new chain: keyed from its first event
        raise AuditHeadError(
            "The audit log has events but its head was never sealed with the audit key. After "
            "upgrading from before audit keys, `testimonio init` seals it when it creates the "
            "key; if the key already existed, the head was tampered with (docs/security.md)."
        )
    if head.key_id != key.key_id:
        raise ConfigurationError(
            f"The audit log is keyed with audit key {head.key_id}, but the key configured is "
            f"{key.key_id}: restore TESTIMONIO_AUDIT_KEY_FILE from its backup."
        )
    if head.seal != key.seal_head(head.last_sequence, head.last_hash, head.keyed_from):
        raise AuditHeadError(
            "The audit chain's head was altered (its seal does not match): nothing can be "
            "recorded until an administrator runs `testimonio audit verify`."
        )


def close_chain(chain: EventChain) -> None:
    """Store and seal the chain's last sequence and hash in its head (same transaction)."""
    AuditHead.objects.filter(pk=1).update(
        last_sequence=chain.sequence,
        last_hash=chain.previous_hash,
        keyed_from=chain.keyed_from,
        key_id=chain.key.key_id,
        seal=chain.key.seal_head(chain.sequence, chain.previous_hash, chain.keyed_from),
    )


class _Canonical:
    """Each event's canonical JSON (:func:`testimonio.crypto.canonical_json` of
    :meth:`AuditEvent.payload`) and chain hash, with the details encoded once for both the
    hash and the column.

    Why: an import appends a hundred thousand events; building a payload dict and encoding it
    (and then the details again for the column) with a new JSON encoder each time was most of
    the audit's cost. The payload's keys are few and fixed, so the sorted object is assembled
    from its encoded values: the actor and time once per append, the action, object type and
    project once per distinct value, the details and object id per event. The HMAC state is
    keyed once (:class:`~testimonio.crypto.hash_chain.AuditKey`) and copied per event. A test
    checks the hash equals :meth:`AuditKey.chain_hash` of the payload for many events, and
    ``audit verify`` re-hashes every event that way.
    """

    def __init__(self, actor_id: int | None, actor_label: str, at: datetime, key: AuditKey) -> None:
        self.hash_text = key.hash_text
        self.encode = json.JSONEncoder(
            sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
        ).encode
        self.fixed = (
            f'"actor_id":{self.encode(actor_id)},"actor_label":{self.encode(actor_label)},'
            f'"at":{self.encode(at.isoformat())},"details":'
        )
        self.memo: dict[tuple[type, object], str] = {}

    def _once(self, value: str | int | None) -> str:
        key = (type(value), value)
        text = self.memo.get(key)
        if text is None:
            text = self.memo[key] = self.encode(value)
        return text

    def hash(
        self,
        previous_hash: str,
        item: PendingEvent,
        object_type: str,
        object_id: str,
        details: str,
        sequence: int,
    ) -> str:
        """HMAC of the previous hash and the event's canonical JSON (keys in sorted order)."""
        payload = "".join(
            [
                previous_hash,
                '{"action":',
                self._once(item.action),
                ",",
                self.fixed,
                details,
                ',"object_id":',
                self.encode(object_id),
                ',"object_type":',
                self._once(object_type),
                ',"project_id":',
                self._once(item.project_id),
                ',"sequence":',
                str(int(sequence)),
                "}",
            ]
        )
        return self.hash_text(payload)


def _target(target: models.Model | TargetRef | str) -> tuple[str, str]:
    """The object type and id an event names."""
    if isinstance(target, str):
        return target, ""
    if isinstance(target, TargetRef):
        return target.label, str(target.pk)
    return target._meta.label_lower, str(target.pk)


def _label(actor: Actor) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    return actor.get_username()
