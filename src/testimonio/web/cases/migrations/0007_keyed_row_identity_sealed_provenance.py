"""Row identity keyed, provenance sealed (issue 13, finding 1).

Before: ``Record.raw_hash`` was an unkeyed SHA-256 of the raw row and ``external_id``,
``file_name``, ``sheet`` and ``row_number`` were in clear, so the database and an
organisation's original list matched every row to its pseudonym. This migration, for every
existing record: seals file, sheet, row, the record key and the row's digest in
``RecordIdentity.provenance`` under the record's data key; replaces ``raw_hash`` by its HMAC
and ``external_id`` by its keyed index (under the key derived from the master key, read from
the configuration as the app reads it); clears both for erased records (their data key is
gone, and nothing should lead back to their row); then drops the clear columns. A database
with records needs the master key at migrate time; an empty one (a fresh instance, the tests)
does not.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import migrations, models


def _seal_and_rekey(apps: Any, schema_editor: Any) -> None:
    Record = apps.get_model("cases", "Record")
    if not Record.objects.exists():
        return
    from testimonio.crypto import SealContext, seal_value, unwrap_data_key
    from testimonio.web.keys.ring import key_ring, row_hasher

    RecordIdentity = apps.get_model("cases", "RecordIdentity")
    DataKey = apps.get_model("cases", "DataKey")
    ring = key_ring()  # a clear ConfigurationError when the master key is missing
    hasher = row_hasher(ring.current)
    for record in Record.objects.iterator(chunk_size=500):
        data_key = DataKey.objects.filter(owner=record.uuid).first()
        if data_key is None or data_key.wrapped is None:  # erased (or never sealed)
            record.raw_hash, record.external_id = "", ""
            record.save(update_fields=["raw_hash", "external_id"])
            continue
        key = unwrap_data_key(bytes(data_key.wrapped), str(record.uuid), ring)
        text = json.dumps(
            {
                "file": record.file_name,
                "sheet": record.sheet,
                "row": record.row_number,
                "key": record.external_id,
                "digest": record.raw_hash,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        context = SealContext("cases.recordidentity", "provenance", str(record.uuid))
        identity, _ = RecordIdentity.objects.get_or_create(record=record)
        identity.provenance = seal_value(text, context, key)
        identity.save(update_fields=["provenance"])
        record.raw_hash = hasher.row_hash(record.raw_hash) if record.raw_hash else ""
        record.external_id = (
            hasher.record_index(record.source_id, record.external_id) if record.external_id else ""
        )
        record.save(update_fields=["raw_hash", "external_id"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_unindexed_coded_columns")]

    operations = [
        migrations.AddField(
            model_name="recordidentity",
            name="provenance",
            field=models.BinaryField(
                blank=True,
                help_text="Sealed JSON: file, sheet, row, the row's key and digest.",
                null=True,
            ),
        ),
        migrations.RunPython(_seal_and_rekey, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="record", name="file_name"),
        migrations.RemoveField(model_name="record", name="sheet"),
        migrations.RemoveField(model_name="record", name="row_number"),
        migrations.AlterField(
            model_name="record",
            name="raw_hash",
            field=models.CharField(
                blank=True, help_text="Keyed fingerprint (HMAC) of the raw row.", max_length=64
            ),
        ),
        migrations.AlterField(
            model_name="record",
            name="external_id",
            field=models.CharField(
                blank=True,
                help_text="Keyed index (HMAC) of the source's own id of the row, or sheet:row; "
                "how a re-import finds it.",
                max_length=100,
            ),
        ),
    ]
