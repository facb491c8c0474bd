"""The case list: a project's persons, filtered, one page at a time, by pseudonym only.

Pages are cut by keyset on the pseudonym (``WHERE pseudonym > last ORDER BY pseudonym
LIMIT n``), which the ``(project, pseudonym)`` unique index serves, so page 2,000 costs what
page 1 does; no page counts every match. Filters are ``EXISTS`` subqueries on the person's
encounters (port, period, tactic: all of one encounter) and records (nationality,
vulnerability, source), each served by the foreign-key index on ``person``. A page is then
described (counts, years) in one more query over its own persons only: a page takes the
same number of queries whatever the project's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast

from testimonio.web.cases.models import Encounter, Nationality, Person, Port, Record

PAGE_SIZE = 50


class LinkageStatus:
    """What linkage made of a person, as the list filters it."""

    SINGLE = "single"  # one record: no other list has (yet) been linked to it
    LINKED = "linked"  # several records, from one or more sources
    FLAGGED = "flagged"  # its records disagree: may be several people

    choices = (SINGLE, LINKED, FLAGGED)


@dataclass(frozen=True)
class CaseFilters:
    """The list's filters, as codes and ids (empty: no filter)."""

    port: str = ""
    year_from: int | None = None
    year_to: int | None = None
    nationality: str = ""
    tactic: str = ""
    vulnerability: str = ""
    source: int | None = None
    linkage: str = ""


@dataclass(frozen=True)
class CasePage:
    rows: list[dict[str, Any]]
    #: The pseudonym to continue after (None on the last page) and to go back before.
    next_after: str | None
    previous_before: str | None


def filtered_persons(project_id: int, filters: CaseFilters) -> QuerySet[Person]:
    """The project's persons (not erased) that every given filter keeps."""
    persons = Person.objects.filter(project_id=project_id, erased_at__isnull=True)
    encounter = _encounter_condition(filters)
    if encounter is not None:
        persons = persons.filter(Exists(Encounter.objects.filter(encounter, person=OuterRef("pk"))))
    record = _record_condition(filters)
    if record is not None:
        persons = persons.filter(Exists(record.filter(person=OuterRef("pk"))))
    return _by_linkage(persons, filters.linkage)


def case_page(
    project_id: int,
    filters: CaseFilters,
    *,
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
) -> CasePage:
    """One page of the list: ``size`` persons after (or before) a pseudonym."""
    persons = filtered_persons(project_id, filters).values_list("pk", "pseudonym")
    if before:
        found = list(persons.filter(pseudonym__lt=before).order_by("-pseudonym")[: size + 1])
        more_before, found = len(found) > size, found[:size][::-1]
        next_after = found[-1][1] if found else None
        previous = found[0][1] if found and more_before else None
    else:
        if after:
            persons = persons.filter(pseudonym__gt=after)
        found = list(persons.order_by("pseudonym")[: size + 1])
        more, found = len(found) > size, found[:size]
        next_after = found[-1][1] if more else None
        previous = found[0][1] if found and after else None
    return CasePage(_describe([pk for pk, _ in found]), next_after, previous)


def _encounter_condition(filters: CaseFilters) -> Q | None:
    conditions = []
    if filters.port:
        conditions.append(_is(Port, "port_id", filters.port))
    if filters.year_from is not None:
        conditions.append(Q(date_year__gte=filters.year_from))
    if filters.year_to is not None:
        conditions.append(Q(date_year__lte=filters.year_to))
    if filters.tactic:
        term = Q(codings__term__code=filters.tactic) | Q(
            codings__term__code__startswith=f"{filters.tactic}."
        )
        conditions.append(term)
    return _all(conditions)


def _record_condition(filters: CaseFilters) -> QuerySet[Record] | None:
    conditions = []
    if filters.nationality:
        conditions.append(_is(Nationality, "nationality_id", filters.nationality))
    if filters.source is not None:
        conditions.append(Q(source_id=filters.source))
    records = Record.objects.all()
    if filters.vulnerability:
        records, vulnerability = _with_vulnerability(records, filters.vulnerability)
        conditions.append(vulnerability)
    condition = _all(conditions)
    return None if condition is None else records.filter(condition)


def _with_vulnerability(records: QuerySet[Record], code: str) -> tuple[QuerySet[Record], Q]:
    """The condition that a record's JSON list of codes holds ``code``. On PostgreSQL, JSON
    containment (``@>``), which the GIN index of migration cases 0010 serves: the text match
    made it read every record of the table (300 ms at 110,000 records). SQLite has no
    containment lookup; there the list's text holds each code in quotes."""
    if connection.vendor == "postgresql":
        return records, Q(vulnerabilities__contains=[code])
    records = records.annotate(vulnerability_text=Cast("vulnerabilities", TextField()))
    return records, Q(vulnerability_text__contains=f'"{code}"')


def _by_linkage(persons: QuerySet[Person], status: str) -> QuerySet[Person]:
    if status == LinkageStatus.FLAGGED:
        return persons.exclude(disagreements=[])
    if status not in (LinkageStatus.SINGLE, LinkageStatus.LINKED):
        return persons
    records = (
        Record.objects.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(total=Count("pk"))
        .values("total")
    )
    persons = persons.annotate(record_total=Subquery(records, output_field=IntegerField()))
    if status == LinkageStatus.SINGLE:
        return persons.filter(record_total=1)
    return persons.filter(record_total__gt=1)


def _describe(person_ids: list[int]) -> list[dict[str, Any]]:
    """Pseudonymous facts of a page's persons, in pseudonym order (one query)."""
    if not person_ids:
        return []
    rows = (
        Person.objects.filter(pk__in=person_ids)
        .annotate(
            record_count=Count("records", distinct=True),
            encounter_count=Count("encounters", distinct=True),
            first_year=Min("encounters__date_year"),
            last_year=Max("encounters__date_year"),
        )
        .order_by("pseudonym")
        .values(
            "pseudonym",
            "disagreements",
            "record_count",
            "encounter_count",
            "first_year",
            "last_year",
        )
    )
    return [dict(row) for row in rows]


def _is(model: type[Port] | type[Nationality], column: str, code: str) -> Q:
    """The column holds the id of that port or nationality code (nothing matches an unknown
    code: ``column=None`` would keep the rows without one).

    Filtering by the id rather than by a join on the code lets PostgreSQL read how common
    that value is in its statistics: by the code it guessed, thought a port with a period and
    a nationality kept 54 persons (2,468 did) and sorted them all instead of walking the
    pseudonym index: 0.8 s for the first page at 100,000 persons."""
    found = model.objects.filter(code=code).values_list("pk", flat=True).first()
    return Q(pk__in=[]) if found is None else Q(**{column: found})


def _all(conditions: list[Q]) -> Q | None:
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined &= condition
    return combined
