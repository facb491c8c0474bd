"""Every change to cases data: ``do_*`` functions, one transaction and one audit event each.

Views, forms, the API and the CLI call these; they never save models themselves. The import's
writes are in :mod:`testimonio.web.imports.actions`.
"""

from testimonio.web.cases.actions.corrections import do_correct_encounter, do_correct_record
from testimonio.web.cases.actions.encounters import do_code_encounter, do_record_encounter
from testimonio.web.cases.actions.erasure import (
    do_erase_person,
    do_reapply_erasures,
    do_set_legal_hold,
)
from testimonio.web.cases.actions.persons import (
    do_flag_persons,
    do_reassign_persons,
    do_split_person,
)
from testimonio.web.cases.actions.projects import do_create_project, do_create_source
from testimonio.web.cases.actions.records import do_create_person, do_create_record
from testimonio.web.cases.actions.vocabulary import LoadedVocabulary, do_load_vocabulary

__all__ = [
    "LoadedVocabulary",
    "do_code_encounter",
    "do_correct_encounter",
    "do_correct_record",
    "do_create_person",
    "do_create_project",
    "do_create_record",
    "do_create_source",
    "do_erase_person",
    "do_flag_persons",
    "do_load_vocabulary",
    "do_reapply_erasures",
    "do_reassign_persons",
    "do_record_encounter",
    "do_set_legal_hold",
    "do_split_person",
]
