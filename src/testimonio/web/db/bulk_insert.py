"""Insert many rows of one model with one prepared statement, without building model objects.

Why: an import writes hundreds of thousands of rows, and Django's ``bulk_create`` spends most
of its time preparing every field of every object and compiling a new ``INSERT`` per batch.
Here the statement is compiled once per model, table and column names come from the model's
``_meta`` (so they follow the migrations), the values that are the same for every row (field
defaults, ``auto_now_add`` timestamps) are prepared once through the fields' own
``get_db_prep_save``, and only values that need it (UUIDs, dates, JSON, bytes) are prepared
per row, again by their field. PostgreSQL gets the rows with ``COPY ... FROM STDIN``. What must
always hold: callers run inside a transaction (the rows are all or nothing with it) and give
values for every field that has no default.

Primary keys that other rows point to are reserved in advance (:func:`reserve_ids`), so a
batch of persons, records and encounters can be written without reading anything back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from django.db import connection, connections, models
from django.utils import timezone

__all__ = ["RowInserter", "larger_page_cache", "reserve_ids"]

#: Field types whose Python values (str, int, bool, None) every backend takes as they are.
_AS_IS = frozenset(
    [
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BinaryField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    ]
)


class RowInserter:
    """``INSERT`` rows of ``model`` giving ``columns`` per row (attribute names: ``person_id``
    for a foreign key), every other field its default.

    Values of the ``prepared`` columns are taken as already in the database's form (the audit
    log gives the JSON text it hashed); the others are prepared by their field as needed.
    """

    def __init__(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        *,
        prepared: Collection[str] = (),
    ) -> None:
        meta = model._meta
        by_name = {field.attname: field for field in meta.concrete_fields}
        given = [by_name[name] for name in columns]
        rest = [field for field in meta.concrete_fields if field.attname not in columns]
        constants = [field for field in rest if not _generated(field)]
        preparers = [None if field.attname in prepared else _preparer(field) for field in given]
        self._width = len(given)
        self._prepare = [(i, prepare) for i, prepare in enumerate(preparers) if prepare is not None]
        self._constants = tuple(_constant(field) for field in constants)
        quote = connection.ops.quote_name
        #: The table and its columns as the statement names them (quoted), in row order.
        self.table = quote(meta.db_table)
        self.column_list = ", ".join(quote(str(field.column)) for field in [*given, *constants])
        self.width = len(given) + len(constants)
        #: How many values a row of :meth:`prepare_given` has (the rest are :attr:`constants`).
        self.given_width = len(given)
        marks = ", ".join(["%s"] * self.width)
        self.sql = f"INSERT INTO {self.table} ({self.column_list}) VALUES ({marks})"  # noqa: S608

    def insert(self, rows: Iterable[Sequence[Any]]) -> int:
        """Write ``rows`` (values in the order of ``columns``); returns how many."""
        return self.insert_prepared(self.prepare(rows))

    def prepare(self, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """``rows`` as the statement takes them (every column, values in the database's form).

        Reads no database, so a worker process can prepare rows for the importing one.
        """
        return [self._row(row) for row in rows]

    def prepare_given(self, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """:meth:`prepare` without the values every row shares (:attr:`constants`), for a
        writer that adds those once (:mod:`testimonio.web.db.staging`)."""
        return [self._row(row, ()) for row in rows]

    @property
    def constants(self) -> tuple[Any, ...]:
        """The values of the columns after the given ones, the same in every row."""
        return self._constants

    def insert_prepared(self, prepared: Sequence[tuple[Any, ...]]) -> int:
        """Write rows made by :meth:`prepare`; returns how many.

        On PostgreSQL the rows go in with ``COPY ... FROM STDIN``: Django's psycopg cursors
        bind parameters on the client, which builds the text of an ``INSERT`` per row in
        Python; COPY streams the rows with psycopg's own adaptation (measured on 100,000 rows
        in ``benchmarks/import_speed.py --postgres``). Elsewhere: one prepared ``executemany``.
        """
        _require_transaction()
        if not prepared:
            return 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                statement = f"COPY {self.table} ({self.column_list}) FROM STDIN"
                with cursor.cursor.copy(statement) as copy:
                    for row in prepared:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, prepared)
        return len(prepared)

    def _row(self, row: Sequence[Any], constants: tuple[Any, ...] | None = None) -> tuple[Any, ...]:
        if len(row) != self._width:
            raise ValueError(f"expected {self._width} values, got {len(row)}")
        if constants is None:
            constants = self._constants
        if not self._prepare:
            return (*row, *constants)
        values = list(row)
        for index, prepare in self._prepare:
            if values[index] is not None:
                values[index] = prepare(values[index])
        return (*values, *constants)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys for new rows of ``model`` that no other writer will use.

    PostgreSQL: taken from the table's own sequence (``nextval`` is safe under concurrency and
    never hands out a number twice). SQLite: the caller's transaction already holds the
    database's write lock (``IMMEDIATE`` mode), so the numbers after the highest ever used
    (``sqlite_sequence`` remembers deleted rows too, so an id is never reused) are free.
    """
    _require_transaction()
    if count == 0:
        return []
    table, pk = model._meta.db_table, str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            quote = connection.ops.quote_name
            cursor.execute(
                "SELECT MAX(n) FROM (SELECT seq AS n FROM sqlite_sequence WHERE name = %s "  # noqa: S608
                f"UNION ALL SELECT MAX({quote(pk)}) FROM {quote(table)})",
                [table],
            )
            start = (cursor.fetchone()[0] or 0) + 1
            return list(range(start, start + count))
    raise NotImplementedError(f"reserving ids on {connection.vendor} is not supported")


@contextmanager
def larger_page_cache(mebibytes: int = 256) -> Iterator[None]:
    """On SQLite, let the connection keep up to ``mebibytes`` of pages in memory for the block.

    Why: an import inserts into a dozen indexes keyed by random UUIDs; once those outgrow the
    default 2 MB cache, every insert re-reads index pages (measured: a fifth of the time of a
    100,000-row import). Memory is taken only as pages are read, and the previous size comes
    back afterwards. Other backends are left alone.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("bulk inserts must run inside the caller's transaction")


def _generated(field: models.Field[Any, Any]) -> bool:
    """An auto-numbered primary key the database fills in."""
    return bool(field.primary_key and field.get_internal_type() in {"AutoField", "BigAutoField"})


def _preparer(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return None
    backend = connections[connection.alias]  # the real connection, not the per-thread proxy
    if kind == "UUIDField":  # what UUIDField.get_db_prep_value does, without a call per value
        return None if backend.features.has_native_uuid_field else attrgetter("hex")
    last: list[Any] = [object(), None]

    def prepare(value: Any) -> Any:
        # Rows of one batch often share a value (an import's timestamp): prepare it once.
        if value is not last[0]:
            last[:] = [value, field.get_db_prep_save(value, backend)]
        return last[1]

    return prepare


def _constant(field: models.Field[Any, Any]) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value: Any = timezone.now()
    elif field.has_default():
        value = field.get_default()
    elif field.null:
        value = None
    else:
        raise TypeError(f"{field} has no default: give it a value for every row")
    return field.get_db_prep_save(value, connection)
