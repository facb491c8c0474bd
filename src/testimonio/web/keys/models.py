"""Data keys: one per protected row (a record's identity, an encounter's narrative).

Only the wrapped form is stored. Destroying a data key (``wrapped`` set to NULL) makes every
copy of the values it sealed unreadable, including copies in backups taken before, once the
erasure is applied again to a restored backup (crypto-shredding).
"""

from __future__ import annotations

from django.db import models


class DataKey(models.Model):
    owner = models.UUIDField(unique=True, help_text="UUID of the row whose values it seals.")
    wrapped = models.BinaryField(null=True, blank=True, help_text="NULL once destroyed.")
    master_key_id = models.CharField(max_length=16, blank=True, help_text="Hex id of the wrapper.")
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "cases"  # the table stays cases_datakey: see docs/architecture.md

    def __str__(self) -> str:
        state = "destroyed" if self.destroyed_at else f"wrapped by {self.master_key_id}"
        return f"data key of {self.owner} ({state})"
