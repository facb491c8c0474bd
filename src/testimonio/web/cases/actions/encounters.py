"""Record encounters and code them with the project's vocabulary."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from testimonio.errors import ValidationError
from testimonio.partial_dates import DatePrecision, PartialDate, parse_partial_date
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import (
    Coding,
    Encounter,
    EncounterNarrative,
    Language,
    Person,
    Port,
    Record,
)
from testimonio.web.cases.resolve import resolve_code, resolve_term
from testimonio.web.keys.identity import seal_narrative
from testimonio.web.validation import clean_or_raise


def do_record_encounter(
    person: Person | None,
    actor: Actor,
    *,
    date: str | PartialDate = "",
    precision: str | None = None,
    port: str = "",
    attempt_number: int | None = None,
    fear_expressed: str = "unknown",
    fear_language: str = "",
    outcome: str = "",
    companions: int | None = None,
    record: Record | None = None,
    narrative: str = "",
) -> Encounter:
    """Record one attempt to seek protection; ``date`` is YYYY, YYYY-MM or YYYY-MM-DD.

    ``precision`` defaults to what the date gives; a stated precision coarser than the date
    is refused, so nobody can record a day where only a month was known.
    """
    if person is None:
        raise ValidationError("an encounter must belong to a person", column="person")
    when = date if isinstance(date, PartialDate) else parse_partial_date(date, column="date")
    encounter = Encounter(
        project=person.project,
        person=person,
        record=record,
        date_year=when.year,
        date_month=when.month,
        date_day=when.day,
        date_precision=DatePrecision(precision or when.precision).value,
        port=resolve_code(Port, port, "port"),
        attempt_number=attempt_number,
        fear_expressed=fear_expressed,
        fear_language=resolve_code(Language, fear_language, "fear_language"),
        outcome=resolve_term(person.project, outcome, "outcome") if outcome else None,
        companions=companions,
    )
    clean_or_raise(encounter)
    with transaction.atomic():
        encounter.save()
        if narrative:
            sealed = EncounterNarrative(encounter=encounter)
            seal_narrative(sealed, narrative)
            sealed.save()
        record_event(
            actor,
            "cases.encounter.create",
            encounter,
            project_id=person.project_id,
            details={
                "person": person.pseudonym,
                "port": port,
                "date": when.isoformat(),
                "narrative": bool(narrative),
            },
        )
    return encounter


def do_code_encounter(
    encounter: Encounter, code: str, actor: Actor, *, evidence: str = ""
) -> Coding:
    """Assign a vocabulary term to an encounter, citing where the account says so."""
    term = resolve_term(encounter.project, code, "code")
    coder = actor if isinstance(actor, User) else None
    coding = Coding(encounter=encounter, term=term, coder=coder, evidence=evidence)
    clean_or_raise(coding)
    with transaction.atomic():
        coding.save()
        record_event(
            actor,
            "cases.coding.create",
            coding,
            project_id=encounter.project_id,
            details={"encounter": encounter.pk, "code": term.code, "evidence": evidence},
        )
    return coding
