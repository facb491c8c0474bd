"""The domain model of a documentation effort (see docs/ and DESIGN.md).

Identity fields live in their own tables (:class:`RecordIdentity`, :class:`EncounterNarrative`)
as sealed bytes, apart from the non-identifying attributes that analysis may read.
"""

from testimonio.web.cases.models.encounters import Coding, Encounter, EncounterNarrative
from testimonio.web.cases.models.people import Person, Record, RecordIdentity
from testimonio.web.cases.models.project import Project, Source
from testimonio.web.cases.models.splits import CannotLink, SplitReason
from testimonio.web.cases.models.vocabulary import (
    Language,
    Nationality,
    Port,
    Term,
    VocabularyVersion,
)

__all__ = [
    "CannotLink",
    "Coding",
    "Encounter",
    "EncounterNarrative",
    "Language",
    "Nationality",
    "Person",
    "Port",
    "Project",
    "Record",
    "RecordIdentity",
    "Source",
    "SplitReason",
    "Term",
    "VocabularyVersion",
]
