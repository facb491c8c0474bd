"""Read-only questions about a project's data, asked by pages (the dashboard) and, later, by
reports: counts and tallies of codes and pseudonymous attributes, never an identity value.

Views render what these return; they do not build queries of their own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from testimonio.web.accounts.models import AdminNotice
from testimonio.web.cases.models import Coding, Encounter, Person, Record
from testimonio.web.cases.models.vocabulary import in_active_language


def persons_by_pseudonym(project_id: int) -> QuerySet[Person]:
    """The project's persons in pseudonym order, each with its ``encounter_count``.

    The count is a subquery per person, not a join grouped over the project: a page of 50 then
    counts 50 persons' encounters (by the index on ``person_id``) instead of grouping every
    encounter of the project on each page view, and the paginator's ``count()`` drops it.
    """
    encounters = (
        Encounter.objects.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Person.objects.filter(project_id=project_id)
        .annotate(encounter_count=Coalesce(Subquery(encounters), 0))
        .order_by("pseudonym")
    )


def project_counts(project_id: int) -> dict[str, int]:
    """How many records, persons and encounters the project holds."""
    return {
        "records": Record.objects.filter(project_id=project_id).count(),
        "persons": Person.objects.filter(project_id=project_id).count(),
        "encounters": Encounter.objects.filter(project_id=project_id).count(),
    }


def encounters_by_port(project_id: int) -> list[dict[str, Any]]:
    """The 15 ports with most encounters: code, name and count."""
    return [
        dict(row)
        for row in Encounter.objects.filter(project_id=project_id)
        .values("port__code", "port__name")
        .annotate(count=Count("pk"))
        .order_by("-count")[:15]
    ]


def codings_by_term(project_id: int) -> list[dict[str, Any]]:
    """The 15 tactic codes coded most often: code, label in the active language and count."""
    return [
        {**row, "term__label": in_active_language(row["term__label_en"], row["term__label_es"])}
        for row in Coding.objects.filter(encounter__project_id=project_id)
        .values("term__code", "term__label_en", "term__label_es")
        .annotate(count=Count("pk"))
        .order_by("-count")[:15]
    ]


def admin_notices(project_id: int) -> QuerySet[AdminNotice]:
    """What the project's administrators must be told of (exports with identities), latest first."""
    return AdminNotice.objects.filter(project_id=project_id)
