"""Rows staged in a worker's in-memory database reach the real table unchanged."""

from __future__ import annotations

import os
import uuid

import pytest
from django.db import connection, transaction

from testimonio.web.db.bulk_insert import RowInserter
from testimonio.web.db.staging import StagedTables, attach_staging, copy_staged
from testimonio.web.keys.models import DataKey

pytestmark = pytest.mark.django_db


def keys(count: int) -> list[tuple[uuid.UUID, bytes, str]]:
    return [(uuid.uuid4(), os.urandom(60), "k" * 32) for _ in range(count)]


def staged(inserter: RowInserter, *tables: list[tuple[uuid.UUID, bytes, str]]) -> bytes:
    stage = StagedTables()
    for rows in tables:
        stage.add(inserter.given_width, inserter.prepare_given(rows))
    return stage.serialize()


def test_copies_of_differently_laid_out_staged_databases_keep_every_value() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("staging is for SQLite")
    inserter = RowInserter(DataKey, ["owner", "wrapped", "master_key_id"])
    # The first database's second table starts after many pages, the second's after one: a
    # copy statement reused from the first would read the second by the first's layout.
    first = (keys(2000), keys(3))
    second = (keys(1), keys(3))
    with transaction.atomic():
        attach_staging()
        copy_staged(staged(inserter, *first), [inserter, inserter])
        copy_staged(staged(inserter, *second), [inserter, inserter])
        stored = {key.owner: (bytes(key.wrapped), key.created_at) for key in DataKey.objects.all()}
    expected = [row for table in (*first, *second) for row in table]
    assert len(stored) == len(expected)
    assert all(stored[owner][0] == wrapped for owner, wrapped, _ in expected)
    assert all(stored[owner][1] is not None for owner, _, _ in expected)  # shared value added
