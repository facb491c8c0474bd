"""Every write of the import: ``do_*`` functions, one transaction and its audit events each.

Views, the CLI and the demo call these; they never save models themselves.
"""

from testimonio.web.imports.actions.drafts import (
    do_cancel_import_draft,
    do_choose_import_sheet,
    do_confirm_import,
    do_create_import_draft,
    do_purge_expired_import_drafts,
    do_record_import_preview,
    do_set_import_mapping,
    source_named,
)
from testimonio.web.imports.actions.tables import (
    ImportResult,
    RowsFailed,
    do_import_file,
    do_import_rows,
    do_import_table,
)

__all__ = [
    "ImportResult",
    "RowsFailed",
    "do_cancel_import_draft",
    "do_choose_import_sheet",
    "do_confirm_import",
    "do_create_import_draft",
    "do_import_file",
    "do_import_rows",
    "do_import_table",
    "do_purge_expired_import_drafts",
    "do_record_import_preview",
    "do_set_import_mapping",
    "source_named",
]
