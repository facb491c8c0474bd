"""Audit events, chained by hash, and the head of the chain writers lock to append.

Events never hold identity values: they name objects by id and pseudonym and list which fields
changed, not what they became. The actor is kept as a plain id and label (not a foreign key)
so deleting a user never rewrites history.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from testimonio.crypto import GENESIS_HASH


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=100, help_text="e.g. cases.encounter.create")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    project_id = models.BigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    # Not indexed: each hash covers its event's unique sequence number, so hashes differ
    # (short of a SHA-256 collision), nothing looks an event up by its hash, and an index on
    # random values would cost every append (an import appends one event per record).
    # `audit verify` re-hashes the chain in sequence order.
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def payload(self) -> dict[str, Any]:
        """The fields the hash covers, in a stable form."""
        return {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "project_id": self.project_id,
            "details": self.details,
        }


class AuditHead(models.Model):
    """The single row writers lock (SELECT ... FOR UPDATE) to append to the chain in order.

    Sealed with the audit key (:meth:`testimonio.crypto.hash_chain.AuditKey.seal_head`), so
    whoever lacks the key cannot move it back after cutting events off the chain's end, nor
    move where keying began. Events before ``keyed_from`` were written before the audit key
    existed and are plain SHA-256; ``keyed_from`` is None only before the first keyed append.
    """

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    keyed_from = models.PositiveBigIntegerField(null=True, blank=True)
    key_id = models.CharField(max_length=16, blank=True, help_text="Public id of the audit key.")
    seal = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit head at #{self.last_sequence}"
