"""Hand rows prepared in a worker process to the importing connection as one SQLite database.

Why: on SQLite, handing a row's values over from Python costs about as much as inserting it
into its indexes, and both happen in the one process that holds the write transaction. A worker
instead writes a chunk's rows into a private in-memory SQLite database (no indexes, no journal,
nothing on disk), serializes it to bytes and sends them; the importing process loads them as an
attached in-memory database and copies each table with one ``INSERT ... SELECT``, which runs
inside SQLite without touching Python per row. The copy happens in the importer's transaction,
so it is all or nothing with the rest of the import; the rows are exactly those
:meth:`RowInserter.prepare <testimonio.web.db.bulk_insert.RowInserter.prepare>` made, so the
database receives the same values either way. Other backends do not use this.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Sequence
from typing import Any

from django.db import connection

from testimonio.web.db.bulk_insert import RowInserter

__all__ = ["STAGING_SCHEMA", "StagedTables", "attach_staging", "copy_staged"]

#: The name the staged database is attached under on the importing connection.
STAGING_SCHEMA = "testimonio_staging"

_copies = itertools.count()


class StagedTables:
    """A private in-memory SQLite database filled with prepared rows, table ``t<i>`` for the
    i-th :meth:`add`, then handed over as bytes.

    Plain Python and sqlite3 only: a worker process uses it without a database connection.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", isolation_level=None)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._tables = 0

    def add(self, width: int, rows: Sequence[tuple[Any, ...]]) -> None:
        """Stage ``rows`` (``width`` values each) as the next table."""
        name = f"t{self._tables}"
        self._tables += 1
        self._db.execute(f"CREATE TABLE {name} ({', '.join(f'c{n}' for n in range(width))})")
        if rows:
            marks = ", ".join(["?"] * width)
            self._db.execute("BEGIN")
            self._db.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)  # noqa: S608
            self._db.execute("COMMIT")

    def serialize(self) -> bytes:
        """The database's bytes (for :func:`copy_staged`); the staging database is closed."""
        try:
            return self._db.serialize()
        finally:
            self._db.close()


def attach_staging() -> None:
    """Attach an empty in-memory database for :func:`copy_staged` to this connection, once.

    It stays attached while the connection lives (a database read in a transaction cannot be
    detached before the transaction ends, and it holds only the last chunk copied).
    """
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        if any(row[1] == STAGING_SCHEMA for row in cursor.fetchall()):
            return
        cursor.execute(f"ATTACH DATABASE ':memory:' AS {STAGING_SCHEMA}")


def copy_staged(data: bytes, inserters: Sequence[RowInserter]) -> None:
    """Copy the tables of a :class:`StagedTables` database into the inserters' tables, in order.

    Must run inside the caller's transaction and a :func:`staging_attached` block; the i-th
    staged table must hold rows prepared by the i-th inserter.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("staged rows must be copied inside the caller's transaction")
    raw = connection.connection
    if not isinstance(raw, sqlite3.Connection):
        raise RuntimeError("staged rows can only be copied into SQLite")
    raw.deserialize(data, name=STAGING_SCHEMA)
    # Each copy's statements must be compiled afresh: sqlite3 caches statements by their text,
    # and a statement compiled for the previous staged database would read this one's pages by
    # the previous one's layout (its schema looks the same to SQLite, so it is not re-checked).
    copy = next(_copies)
    with connection.cursor() as cursor:
        for number, inserter in enumerate(inserters):
            shared = "".join(", %s" for _ in inserter.constants)
            cursor.execute(
                f"INSERT INTO {inserter.table} ({inserter.column_list}) "  # noqa: S608
                f"SELECT *{shared} FROM {STAGING_SCHEMA}.t{number} /* copy {copy} */",
                list(inserter.constants),
            )
