"""Every change to cases data: ``do_*`` functions, one transaction and one audit event each.

Views, forms, the API and the CLI call these; they never save models themselves.
"""

from testimonio.web.cases.actions.encounters import do_code_encounter, do_record_encounter
from testimonio.web.cases.actions.erasure import (
    do_erase_person,
    do_reapply_erasures,
    do_set_legal_hold,
)
from testimonio.web.cases.actions.import_drafts import (
    do_cancel_import_draft,
    do_choose_import_sheet,
    do_confirm_import,
    do_create_import_draft,
    do_purge_expired_import_drafts,
    do_record_import_preview,
    do_set_import_mapping,
    source_named,
)
from testimonio.web.cases.actions.imports import (
    ImportResult,
    RowsFailed,
    do_import_rows,
    do_import_table,
)
from testimonio.web.cases.actions.projects import do_create_project, do_create_source
from testimonio.web.cases.actions.records import do_create_person, do_create_record
from testimonio.web.cases.actions.vocabulary import LoadedVocabulary, do_load_vocabulary

__all__ = [
    "ImportResult",
    "RowsFailed",
    "LoadedVocabulary",
    "do_cancel_import_draft",
    "do_choose_import_sheet",
    "do_code_encounter",
    "do_confirm_import",
    "do_create_import_draft",
    "do_create_person",
    "do_create_project",
    "do_create_record",
    "do_create_source",
    "do_erase_person",
    "do_import_rows",
    "do_import_table",
    "do_load_vocabulary",
    "do_purge_expired_import_drafts",
    "do_reapply_erasures",
    "do_record_encounter",
    "do_record_import_preview",
    "do_set_import_mapping",
    "do_set_legal_hold",
    "source_named",
]
