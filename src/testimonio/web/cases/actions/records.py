"""Create persons and records (with their sealed identity)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.db import transaction
from django.db.models import Max

from testimonio.partial_dates import parse_partial_date
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Language, Nationality, Person, Project, Record, Source
from testimonio.web.cases.models.people import RecordIdentity
from testimonio.web.cases.resolve import resolve_code
from testimonio.web.keys.identity import IdentityFields, provenance_text, seal_identity
from testimonio.web.validation import clean_or_raise


def do_create_person(project: Project, actor: Actor) -> Person:
    """Create a person with the project's next pseudonym (P-000001, P-000002, ...)."""
    with transaction.atomic():
        # Lock the project row so two writers cannot draw the same next pseudonym.
        Project.objects.select_for_update().filter(pk=project.pk).exists()
        person = Person(project=project, pseudonym=pseudonyms_from(project, 1)[0])
        person.save()
        record_event(
            actor,
            "cases.person.create",
            person,
            project_id=project.pk,
            details={"pseudonym": person.pseudonym},
        )
    return person


def do_create_record(
    source: Source,
    actor: Actor,
    *,
    identity: IdentityFields | None = None,
    person: Person | None = None,
    attributes: dict[str, str] | None = None,
    vulnerabilities: Sequence[str] = (),
    provenance: tuple[str, str, int] | None = None,
) -> Record:
    """Create one record of ``source``: attributes in the clear, identity sealed.

    ``attributes`` may hold sex, gender_identity, age_band, nationality (ISO code) and
    language (ISO 639-3 code); ``provenance`` the file, sheet and row it came from, sealed
    with the identity (a file name and row number identify a person as well as a name).
    """
    attributes = dict(attributes or {})
    record = Record(
        project=source.project,
        source=source,
        person=person,
        vulnerabilities=list(vulnerabilities),
    )
    record.nationality = resolve_code(Nationality, attributes.pop("nationality", ""), "nationality")
    record.language = resolve_code(Language, attributes.pop("language", ""), "language")
    for name, value in attributes.items():
        setattr(record, name, value)
    identity = identity or IdentityFields()
    if provenance is not None:
        identity = replace(identity, provenance=provenance_text(*provenance))
    parse_partial_date(identity.birth_date, column="birth_date")
    clean_or_raise(record)
    with transaction.atomic():
        record.save()
        sealed: RecordIdentity = seal_identity(record, identity)
        sealed.save()
        record_event(
            actor,
            "cases.record.create",
            record,
            project_id=source.project_id,
            details={"source": source.pk, "identity_fields": filled_fields(identity)},
        )
    return record


def filled_fields(identity: IdentityFields) -> list[str]:
    """Which identity fields were given (names of fields only, never their values)."""
    return [name for name, value in vars(identity).items() if value]


def pseudonyms_from(project: Project, count: int) -> list[str]:
    """The project's next ``count`` pseudonyms; the caller holds the project's row lock."""
    last = Person.objects.filter(project=project).aggregate(Max("pseudonym"))["pseudonym__max"]
    number = int(last.split("-")[1]) + 1 if last else 1
    return [f"P-{number + n:06d}" for n in range(count)]
