"""Propose whose declaration this is, by the same keyed blind indexes as the records.

A declaration is one more source: its declarant's stated surname and birth year go into the
surname+year blind index (:func:`testimonio.crypto.surname_year_index`) and are looked up
among the project's records that already belong to a person. One person matches: a
proposed link, which a person confirms (:func:`do_link_declaration`); several, or a name
with no birth year: review. Nothing is linked without a person saying so, and no value is
kept or logged (only the index, in memory).
"""

from __future__ import annotations

from dataclasses import dataclass

from testimonio.crypto import surname_year_index
from testimonio.declarations import Declaration as ReadDeclaration
from testimonio.declarations import declarant_of
from testimonio.web.cases.models import Person, Project, RecordIdentity
from testimonio.web.declarations.models import LinkStatus
from testimonio.web.keys.ring import current_index_key


@dataclass(frozen=True)
class Proposal:
    status: str
    person: Person | None = None
    #: how many persons matched (0 when the declaration states no name or year)
    candidates: int = 0


def propose_person(project: Project, read: ReadDeclaration) -> Proposal:
    declarant = declarant_of(read)
    if not declarant.names:
        return Proposal(LinkStatus.UNLINKED)
    if declarant.birth_year is None:
        return Proposal(LinkStatus.REVIEW)
    key = current_index_key()
    year = f"{declarant.birth_year:04d}"
    indexes = {surname_year_index(s, year, key) for s in declarant.surname_candidates()} - {""}
    persons = list(
        RecordIdentity.objects.filter(
            surname_year_index__in=indexes,
            record__project=project,
            record__person__isnull=False,
        )
        .values_list("record__person", flat=True)
        .distinct()
    )
    if len(persons) == 1:
        return Proposal(LinkStatus.PROPOSED, Person.objects.get(pk=persons[0]), 1)
    return Proposal(LinkStatus.REVIEW if persons else LinkStatus.UNLINKED, None, len(persons))
