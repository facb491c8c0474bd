"""What a test reads of an imported record: its keyed record key, its sealed provenance."""

from __future__ import annotations

from typing import Any

from testimonio.web.cases.models import Record, Source
from testimonio.web.keys.identity import open_identity
from testimonio.web.keys.ring import row_hasher


def keyed(source: Source, key: str) -> str:
    """The stored (keyed) form of a row's key in ``source``: what ``external_id`` holds."""
    return row_hasher().record_index(source.pk, key)


def record_for(key: str) -> Record:
    """The record whose source's own id (or sheet:row) is ``key``, in whichever source."""
    keys = [keyed(source, key) for source in Source.objects.all()]
    return Record.objects.get(external_id__in=keys)


def recorded(key: str) -> bool:
    keys = [keyed(source, key) for source in Source.objects.all()]
    return Record.objects.filter(external_id__in=keys).exists()


def origin(record: Record) -> dict[str, Any]:
    """The record's sealed provenance: file, sheet, row, key, digest."""
    return open_identity(record).origin()
