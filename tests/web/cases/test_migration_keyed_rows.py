"""Migration 0007 re-keys an existing instance's row hashes and record keys and seals its clear
provenance, so a re-import still recognises every row; erased records keep nothing."""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from testimonio.crypto import Key
from testimonio.crypto.envelope import wrap_data_key
from testimonio.web.keys.ring import key_ring, row_hasher

BEFORE = [("cases", "0006_unindexed_coded_columns")]
AFTER = [("cases", "0007_keyed_row_identity_sealed_provenance")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# SQLite cannot alter tables inside the test's transaction (foreign-key checks), so there the
# test commits and is flushed after; PostgreSQL alters tables inside it, and must: its audit
# log's trigger refuses the flush's TRUNCATE, as it refuses every deletion.
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.mark.django_db(transaction=not ON_POSTGRES)
def test_existing_records_are_rekeyed_and_their_provenance_sealed() -> None:
    old = migrate(BEFORE)
    vocabulary = old.get_model("cases", "VocabularyVersion").objects.create(
        name="v", number=1, title="v", checksum="x"
    )
    project = old.get_model("cases", "Project").objects.create(
        name="p", slug="p", vocabulary=vocabulary
    )
    source = old.get_model("cases", "Source").objects.create(project=project, name="list")
    digest = hashlib.sha256(b"a row").hexdigest()
    kept, erased = uuid.uuid4(), uuid.uuid4()
    Record = old.get_model("cases", "Record")
    for owner, external in ((kept, "A-1"), (erased, "A-2")):
        Record.objects.create(
            project=project,
            source=source,
            uuid=owner,
            file_name="lista de Zzyzx.csv",
            sheet="",
            row_number=2,
            raw_hash=digest,
            external_id=external,
        )
    DataKey = old.get_model("cases", "DataKey")
    DataKey.objects.create(
        owner=kept, wrapped=wrap_data_key(Key.generate(), str(kept), key_ring().current)
    )
    DataKey.objects.create(owner=erased, wrapped=None)
    if ON_POSTGRES:  # check the rows' foreign keys now, or the ALTERs wait on their triggers
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    migrate(AFTER)
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())  # back to the latest, for the other tests

    from testimonio.web.cases.models import Record as Current
    from testimonio.web.keys.identity import open_identity

    hasher = row_hasher()
    record = Current.objects.get(uuid=kept)
    assert record.raw_hash == hasher.row_hash(digest)
    assert record.external_id == hasher.record_index(source.pk, "A-1")
    assert open_identity(record).origin() == {
        "file": "lista de Zzyzx.csv",
        "sheet": "",
        "row": 2,
        "key": "A-1",
        "digest": digest,
    }
    gone = Current.objects.get(uuid=erased)
    assert (gone.raw_hash, gone.external_id) == ("", "")
