"""The analysis snapshot's tables, column by column: version 5 of a stable, documented format.

A snapshot is what analysis reads instead of the live database (docs/snapshot.md). Every
column is listed here with its DuckDB type; a writer refuses any other column, so an identity
field (a name, a birth date, a phone, a file name, a row number, a source's own id) cannot slip
into a snapshot by being present in a data frame. Each table has a sort key: tables are stored
in that order, and the SHA-256 of a table is computed over its rows in that order (see
:func:`hash_columns_sql` and ``testimonio.analysis.snapshot.table_sha256``; versions 1 and 2:
:func:`table_hash_sql`), so the same content gives the same hash in a DuckDB file and in Parquet.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 5
#: Versions ``load_snapshot`` reads. Version 2 only added optional tables (declarations,
#: paragraph codings, the linkage review queue, coder agreement), so a version 1 snapshot is
#: a version 2 snapshot without them and is read as it is. Version 3 only changed how a
#: table's SHA-256 is computed (column by column instead of one JSON text per row: about ten
#: times cheaper); versions 1 and 2 are verified with their own hash, :func:`table_hash_sql`.
#: Version 4 only added the optional ``coder_kappa`` table (Cohen's kappa when exactly two
#: coders read the double-coded sample), so a version 3 snapshot is read as it is.
#: Version 5 only added the optional ``linkage_alternatives`` table (each record's cluster at
#: the linkage run's alternative thresholds): a version 4 snapshot is read as it is, and the
#: linkage sensitivity figures say it does not carry them.
SUPPORTED_SCHEMA_VERSIONS = (1, 2, 3, 4, 5)
#: Versions whose table hashes are :func:`table_hash_sql` (JSON per row).
JSON_HASH_VERSIONS = (1, 2)


@dataclass(frozen=True)
class TableSchema:
    """One snapshot table: its columns (name, DuckDB type) and its sort key."""

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    required: bool = True  # the optional tables may be absent (events until resolved, ...)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)


TABLES: dict[str, TableSchema] = {
    table.name: table
    for table in (
        TableSchema(
            "persons",
            (("person_id", "VARCHAR"), ("named_plaintiff", "BOOLEAN")),
            ("person_id",),
        ),
        TableSchema(
            "sources",
            (("source_id", "VARCHAR"), ("name", "VARCHAR"), ("kind", "VARCHAR")),
            ("source_id",),
        ),
        TableSchema(
            "records",
            (
                ("record_id", "VARCHAR"),
                ("person_id", "VARCHAR"),  # NULL: not linked to anyone yet
                ("source_id", "VARCHAR"),
                ("nationality", "VARCHAR"),  # ISO 3166 alpha-2, NULL when unknown
                ("language", "VARCHAR"),  # ISO 639-3, NULL when unknown
                ("gender_identity", "VARCHAR"),  # the Record.gender_identity choices
                ("age_band", "VARCHAR"),  # 0-11, 12-17, 18-29, 30-44, 45-59, 60+, unknown
                ("vulnerabilities", "VARCHAR"),  # space-separated VUL.* codes, '' for none
            ),
            ("record_id",),
        ),
        TableSchema(
            "encounters",
            (
                ("encounter_id", "VARCHAR"),
                ("record_id", "VARCHAR"),
                ("person_id", "VARCHAR"),
                ("date_year", "SMALLINT"),
                ("date_month", "SMALLINT"),
                ("date_day", "SMALLINT"),
                ("date_precision", "VARCHAR"),  # day, month, year, unknown
                ("port", "VARCHAR"),  # ports.csv code, NULL when unknown
                ("attempt_number", "SMALLINT"),
                ("fear_expressed", "VARCHAR"),  # yes, no, unknown
                ("fear_mode", "VARCHAR"),  # a FEAR.MODE.* code or NULL
                ("fear_language", "VARCHAR"),  # ISO 639-3 or NULL
                ("outcome", "VARCHAR"),  # an OUT.* code or NULL
            ),
            ("encounter_id",),
        ),
        TableSchema(
            "codings",
            (
                ("encounter_id", "VARCHAR"),
                ("term_code", "VARCHAR"),
                ("label_en", "VARCHAR"),
                ("label_es", "VARCHAR"),
            ),
            ("encounter_id", "term_code"),
        ),
        TableSchema(
            "list_membership",
            (("person_id", "VARCHAR"), ("source_id", "VARCHAR")),
            ("person_id", "source_id"),
        ),
        TableSchema(
            "events",
            (
                ("event_id", "VARCHAR"),
                ("person_id", "VARCHAR"),
                ("port", "VARCHAR"),
                ("date_start", "DATE"),  # the first day the event can have been
                ("date_end", "DATE"),  # the last day (equal to date_start for a known day)
                ("date_precision", "VARCHAR"),  # the finest precision among its reports
                ("attempt_number", "SMALLINT"),
                ("fear_expressed", "VARCHAR"),  # reconciled: yes, no, unknown
                ("fear_conflict", "BOOLEAN"),  # sources disagree on fear expressed
                ("turned_away", "VARCHAR"),  # reconciled: yes, no, unknown
                ("outcome_conflict", "BOOLEAN"),  # sources disagree on turned away or processed
                ("reports", "INTEGER"),
            ),
            ("event_id",),
            required=False,
        ),
        TableSchema(
            "event_reports",
            (("event_id", "VARCHAR"), ("encounter_id", "VARCHAR"), ("source_id", "VARCHAR")),
            ("event_id", "encounter_id"),
            required=False,
        ),
        # Version 2: what the evidence packet cites and how well the evidence was read. Numbers,
        # codes and pseudonyms only: no paragraph text, no declarant's or interpreter's name.
        TableSchema(
            "declarations",
            (
                ("declaration_id", "VARCHAR"),  # D-00000000, in database order
                ("exhibit", "VARCHAR"),  # '12' as in 'Ex. 12'; '' while not numbered
                ("ecf_reference", "VARCHAR"),  # '45-3' as in 'ECF No. 45-3'; '' before filing
                ("person_id", "VARCHAR"),  # the declarant's pseudonym; NULL while not linked
                ("date_signed", "DATE"),
                ("ports", "VARCHAR"),  # space-separated port codes of its encounters
                ("language", "VARCHAR"),  # the document's language (ISO 639-1 or -3)
                ("interpreter", "BOOLEAN"),  # an interpreter read it to the declarant
                ("translation_of", "VARCHAR"),  # the original's declaration_id, or NULL
                ("paragraphs", "INTEGER"),  # how many numbered paragraphs it has
            ),
            ("declaration_id",),
            required=False,
        ),
        TableSchema(
            "paragraph_codings",
            (
                ("declaration_id", "VARCHAR"),
                ("paragraph", "VARCHAR"),  # the paragraph's number as the declaration writes it
                ("term_code", "VARCHAR"),
                ("encounter_id", "VARCHAR"),  # the encounter it is evidence of, or NULL
                ("coders", "INTEGER"),  # how many coders marked it
            ),
            ("declaration_id", "paragraph", "term_code", "encounter_id"),
            required=False,
        ),
        TableSchema(
            "linkage_review",
            (("status", "VARCHAR"), ("pairs", "INTEGER")),  # pending, same, different, unsure
            ("status",),
            required=False,
        ),
        TableSchema(
            "coder_agreement",
            (
                ("term_code", "VARCHAR"),
                ("paragraphs", "INTEGER"),  # double-coded paragraphs (read by two coders or more)
                ("coders", "INTEGER"),
                ("alpha", "DOUBLE"),  # Krippendorff's alpha, nominal; NULL when undefined
                ("alpha_lower", "DOUBLE"),  # bootstrap interval
                ("alpha_upper", "DOUBLE"),
                ("level", "DOUBLE"),  # of the interval (0.95)
                ("minimum_alpha", "DOUBLE"),  # the project's minimum (default 0.667)
                ("flagged", "BOOLEAN"),  # alpha below the minimum, or undefined
            ),
            ("term_code",),
            required=False,
        ),
        TableSchema(
            "coder_kappa",
            (
                ("term_code", "VARCHAR"),
                ("paragraphs", "INTEGER"),  # double-coded paragraphs both coders read
                ("kappa", "DOUBLE"),  # Cohen's kappa; NULL when undefined (one answer only)
            ),
            ("term_code",),
            required=False,
        ),
        # Version 5: the clustering of every record at each of the linkage run's alternative
        # thresholds (the run's own among them, ``own``), so that each person-count can be
        # shown over them. Pseudonymous record ids and cluster numbers of that snapshot only.
        TableSchema(
            "linkage_alternatives",
            (
                ("threshold", "DOUBLE"),  # a match probability the run clustered at
                ("own", "BOOLEAN"),  # the run's own threshold: its clusters are the persons
                ("record_id", "VARCHAR"),
                ("cluster", "VARCHAR"),  # C-00000001, numbered per threshold
            ),
            ("threshold", "record_id"),
            required=False,
        ),
    )
}

#: Block size of the two-level table hash (rows per block).
HASH_BLOCK_ROWS = 65536


def table_hash_sql(relation: str, table: TableSchema) -> str:
    """Versions 1 and 2: SQL giving the SHA-256 (hex) of a table's content.

    Each row is written as JSON (``to_json`` of the row, columns in schema order) and hashed;
    the row hashes, in sort-key order, are concatenated per block of ``HASH_BLOCK_ROWS`` rows
    and hashed; the block hashes, in order, are concatenated and hashed. Two levels keep the
    strings short on a million rows. An empty table hashes the empty string.
    """
    columns = ", ".join(f'"{name}"' for name in table.column_names)
    order = ", ".join(f'"{name}"' for name in table.key)
    # Table and column names come from TABLES, never from input.
    return f"""
        WITH rows AS (
            SELECT row_number() OVER (ORDER BY {order}) - 1 AS n,
                   sha256(to_json(struct_pack({columns}))) AS h
            FROM (SELECT {columns} FROM {relation})
        ), blocks AS (
            SELECT n // {HASH_BLOCK_ROWS} AS block, sha256(string_agg(h, '' ORDER BY n)) AS h
            FROM rows GROUP BY block
        )
        SELECT coalesce(sha256(string_agg(h, '' ORDER BY block)), sha256(''))
        FROM blocks
    """  # noqa: S608


def hash_columns_sql(relation: str, table: TableSchema, *, ordered: bool) -> str:
    """Version 3: the fixed-width columns a table's SHA-256 is computed over, one per column.

    Every column becomes a value without NULL of a fixed kind: text as itself (``''`` for
    NULL), integers and booleans as BIGINT, dates as days since 1970-01-01, doubles as DOUBLE
    (0 for NULL); one more BIGINT column, ``_nulls``, has bit ``i`` set where the schema's
    column ``i`` is NULL. ``ordered`` sorts by the key (the writer, so the hash is that of the
    key order); without it rows come in stored order (the reader: a table stored out of key
    order hashes differently, and is refused as changed).
    """
    values = []
    for name, kind in table.columns:
        column = f'"{name}"'
        if kind == "VARCHAR":
            values.append(f"coalesce({column}, '')")
        elif kind == "DATE":
            values.append(f"coalesce(CAST({column} - DATE '1970-01-01' AS BIGINT), 0)")
        elif kind == "DOUBLE":
            values.append(f"coalesce({column}, 0.0)")
        else:  # SMALLINT, INTEGER, BOOLEAN
            values.append(f"coalesce(CAST({column} AS BIGINT), 0)")
    nulls = " + ".join(
        f'(CASE WHEN "{name}" IS NULL THEN {1 << index} ELSE 0 END)'
        for index, name in enumerate(table.column_names)
    )
    order = ", ".join(f'"{name}"' for name in table.key)
    sort = f" ORDER BY {order}" if ordered else ""
    selected = ", ".join(f"{value} AS c{index}" for index, value in enumerate(values))
    return f"SELECT {selected}, CAST({nulls} AS BIGINT) AS _nulls FROM {relation}{sort}"  # noqa: S608


def create_table_sql(table: TableSchema, name: str | None = None) -> str:
    columns = ", ".join(f'"{column}" {kind}' for column, kind in table.columns)
    return f'CREATE TABLE "{name or table.name}" ({columns})'


__all__ = [
    "HASH_BLOCK_ROWS",
    "JSON_HASH_VERSIONS",
    "SCHEMA_VERSION",
    "SUPPORTED_SCHEMA_VERSIONS",
    "TABLES",
    "TableSchema",
    "create_table_sql",
    "hash_columns_sql",
    "table_hash_sql",
]
