"""Recompute every record's keyed blind indexes from its sealed identity.

Needed once after an upgrade adds an index (records written before it have it empty) and
harmless any time after: only rows whose indexes differ are written. Values are opened in
memory one record at a time and never leave this module; the audit event holds counts only.
"""

from __future__ import annotations

from django.db import transaction

from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import RecordIdentity
from testimonio.web.keys.identity import open_identity, sealed_identity_columns
from testimonio.web.keys.ring import ErasedError, current_index_key, data_key_for


def do_reindex_identities(actor: Actor) -> tuple[int, int]:
    """Bring every record's blind indexes up to date; returns (records read, rows updated)."""
    index = current_index_key()
    read = updated = 0
    with transaction.atomic():
        rows = RecordIdentity.objects.select_related("record").order_by("pk")
        for row in rows.iterator(chunk_size=500):
            fresh = _fresh_indexes(row, index)
            if fresh is None:
                continue
            read += 1
            if any(getattr(row, name) != value for name, value in fresh.items()):
                RecordIdentity.objects.filter(pk=row.pk).update(**fresh)
                updated += 1
        details = {"records": read, "updated": updated}
        record_event(actor, "crypto.blind_index.reindex", "crypto.blindindex", details=details)
    return read, updated


def _fresh_indexes(row: RecordIdentity, index: bytes) -> dict[str, str] | None:
    record = row.record
    try:
        identity = open_identity(record)
        key = data_key_for(record.uuid, create=False)
    except ErasedError:  # nothing left to index
        return None
    columns = sealed_identity_columns(record.uuid, identity, key, index)
    return {name: str(columns[name] or "") for name in RecordIdentity.BLIND_INDEXES}
