"""Reading what organisations hold: readers, mapping profiles, validation, row identity.

Plain Python (no Django, no CLI): the web upload flow and the command line both call it, and it
must never import ``testimonio.web`` or ``testimonio.cli``. Steps, each in its own module:
check and read a file into tables (:mod:`.file_checks`, :mod:`.readers`), map its columns and
words to our fields and codes (:mod:`.mapping`, :mod:`.matching`, :mod:`.dates`), validate rows
(:mod:`.validation`), report problems safely (:mod:`.report`) and fingerprint raw rows
(:mod:`.row_identity`). Dates are read in :mod:`testimonio.partial_dates`. Identity values never
appear in an error, a report or a profile.

The web and the command line use the names below, at the package level. They load on first use
(:mod:`testimonio.lazy_names`), so an import worker that needs only validation does not load the
readers, and nothing here loads Splink, pandas or openpyxl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from testimonio.lazy_names import lazy_names

if TYPE_CHECKING:
    from testimonio.ingest.bulk_work import collector_paused
    from testimonio.ingest.cells import vocabulary_codes
    from testimonio.ingest.date_order_review import confirm_date_orders
    from testimonio.ingest.fields import FIELDS
    from testimonio.ingest.file_checks import FileKind, Limits, check_file
    from testimonio.ingest.mapping import (
        FieldMapping,
        MappingProfile,
        dump_mapping,
        load_mapping,
        mapping_document,
        parse_mapping,
        propose_mapping,
        read_mapping_document,
        save_mapping,
    )
    from testimonio.ingest.pipeline import (
        CheckedTable,
        check_table,
        describe,
        read_file,
        read_upload,
        select_table,
    )
    from testimonio.ingest.readers import read_path
    from testimonio.ingest.report import report_xlsx, rows_as_bytes, write_report, write_rows
    from testimonio.ingest.row_identity import RowHasher
    from testimonio.ingest.tables import SourceFile, Table
    from testimonio.ingest.validation import (
        CHUNK_ROWS,
        Attributes,
        ChunkValidator,
        EncounterRow,
        Provenance,
        RowError,
        ValidatedRow,
        validate_table,
    )
    from testimonio.ingest.value_review import UnknownValue, unknown_values
    from testimonio.partial_dates import DATE_ORDERS

__all__ = [
    "Attributes",
    "CHUNK_ROWS",
    "CheckedTable",
    "ChunkValidator",
    "DATE_ORDERS",
    "EncounterRow",
    "FIELDS",
    "FieldMapping",
    "FileKind",
    "Limits",
    "MappingProfile",
    "Provenance",
    "RowError",
    "RowHasher",
    "SourceFile",
    "Table",
    "UnknownValue",
    "ValidatedRow",
    "check_file",
    "check_table",
    "collector_paused",
    "confirm_date_orders",
    "describe",
    "dump_mapping",
    "load_mapping",
    "mapping_document",
    "parse_mapping",
    "propose_mapping",
    "read_file",
    "read_mapping_document",
    "read_path",
    "read_upload",
    "report_xlsx",
    "rows_as_bytes",
    "save_mapping",
    "select_table",
    "unknown_values",
    "validate_table",
    "vocabulary_codes",
    "write_report",
    "write_rows",
]

#: Where each public name lives; its module is imported the first time the name is used.
_HOMES = {
    "Attributes": "testimonio.ingest.validation",
    "CHUNK_ROWS": "testimonio.ingest.validation",
    "CheckedTable": "testimonio.ingest.pipeline",
    "ChunkValidator": "testimonio.ingest.validation",
    "DATE_ORDERS": "testimonio.partial_dates",
    "EncounterRow": "testimonio.ingest.validation",
    "FIELDS": "testimonio.ingest.fields",
    "FieldMapping": "testimonio.ingest.mapping",
    "FileKind": "testimonio.ingest.file_checks",
    "Limits": "testimonio.ingest.file_checks",
    "MappingProfile": "testimonio.ingest.mapping",
    "Provenance": "testimonio.ingest.validation",
    "RowError": "testimonio.ingest.validation",
    "RowHasher": "testimonio.ingest.row_identity",
    "SourceFile": "testimonio.ingest.tables",
    "Table": "testimonio.ingest.tables",
    "UnknownValue": "testimonio.ingest.value_review",
    "ValidatedRow": "testimonio.ingest.validation",
    "check_file": "testimonio.ingest.file_checks",
    "check_table": "testimonio.ingest.pipeline",
    "collector_paused": "testimonio.ingest.bulk_work",
    "confirm_date_orders": "testimonio.ingest.date_order_review",
    "describe": "testimonio.ingest.pipeline",
    "dump_mapping": "testimonio.ingest.mapping",
    "load_mapping": "testimonio.ingest.mapping",
    "mapping_document": "testimonio.ingest.mapping",
    "parse_mapping": "testimonio.ingest.mapping",
    "propose_mapping": "testimonio.ingest.mapping",
    "read_file": "testimonio.ingest.pipeline",
    "read_mapping_document": "testimonio.ingest.mapping",
    "read_path": "testimonio.ingest.readers",
    "read_upload": "testimonio.ingest.pipeline",
    "report_xlsx": "testimonio.ingest.report",
    "rows_as_bytes": "testimonio.ingest.report",
    "save_mapping": "testimonio.ingest.mapping",
    "select_table": "testimonio.ingest.pipeline",
    "unknown_values": "testimonio.ingest.value_review",
    "validate_table": "testimonio.ingest.validation",
    "vocabulary_codes": "testimonio.ingest.cells",
    "write_report": "testimonio.ingest.report",
    "write_rows": "testimonio.ingest.report",
}

__getattr__, __dir__ = lazy_names(__name__, _HOMES)
