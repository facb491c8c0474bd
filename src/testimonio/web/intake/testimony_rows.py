"""A testimony's rows, built before its write transaction so that the transaction stays short.

Why: the save holds the project's row (for the next pseudonym) and the audit chain's head (on
SQLite the database's one write lock) from its first statement to its commit, so every other
save waits that long. Everything that needs no lock is done here first: the codes resolved
(one query per table, not one per value), the rows validated, a data key made and wrapped per
record and the identity sealed under it (AES-GCM) with its blind indexes. The transaction then
only numbers the new people and writes the rows in bulk (:func:`write_rows`), a dozen
statements whatever the size of the testimony.

What must always hold: no plaintext identity value is kept on these objects once built; the
rows are written all together or not at all (the caller's transaction).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar, cast

from django.contrib.auth.models import User
from django.db import models

from testimonio.crypto import wrap_data_keys
from testimonio.errors import ValidationError
from testimonio.partial_dates import DatePrecision, parse_partial_date
from testimonio.web.audit.log import Actor, PendingEvent
from testimonio.web.cases.actions.records import filled_fields, pseudonyms_from
from testimonio.web.cases.models import (
    Coding,
    Encounter,
    Language,
    Nationality,
    Person,
    Port,
    Project,
    Record,
    Source,
    Term,
)
from testimonio.web.cases.models.people import RecordIdentity
from testimonio.web.imports.row_values import new_keys
from testimonio.web.intake.models import Relationship
from testimonio.web.keys.identity import IdentityFields, sealed_identity_columns
from testimonio.web.keys.models import DataKey
from testimonio.web.keys.ring import current_index_key, key_ring
from testimonio.web.validation import clean_or_raise

if TYPE_CHECKING:
    from testimonio.web.intake.actions import PersonEntry, Testimony

#: Relations the rows are given already resolved: checking each again would cost a query.
_RESOLVED = {
    Record: ["project", "source", "person", "nationality", "language"],
    Encounter: ["project", "person", "record", "port", "fear_language", "outcome"],
    Coding: ["encounter", "term", "coder"],
}


@dataclass
class PersonRows:
    """One person of the testimony: their (new or existing) person, record and sealed identity."""

    person: Person
    is_new: bool
    record: Record
    identity: RecordIdentity
    data_key: DataKey
    identity_fields: list[str]
    relationship: str = ""
    travelled: bool = True


@dataclass
class EncounterRows:
    """One encounter of one person, with its codings."""

    owner: PersonRows
    encounter: Encounter
    codings: list[Coding]
    port: str
    date: str


@dataclass
class TestimonyRows:
    """Every row of a testimony, unsaved; people[0] is the one who testified."""

    __test__ = False  # pytest: a domain word, not a test class
    people: list[PersonRows] = field(default_factory=list)
    encounters: list[EncounterRows] = field(default_factory=list)


CodedModel = TypeVar("CodedModel", bound=models.Model)


class Codes:
    """The rows the testimony's codes name, read with one query per table."""

    def __init__(self, project: Project, testimony_codes: dict[type[models.Model], set[str]]):
        self.rows: dict[type[models.Model], dict[str, models.Model]] = {}
        for model, codes in testimony_codes.items():
            wanted = {code.strip() for code in codes if code and code.strip()}
            manager = model._default_manager
            found = manager.filter(code__in=wanted) if wanted else manager.none()
            if model is Term:
                found = found.filter(version_id=project.vocabulary_id)
            self.rows[model] = {row.serializable_value("code"): row for row in found}
        self.project = project

    def code(self, model: type[CodedModel], code: str, column: str) -> CodedModel | None:
        """As :func:`testimonio.web.cases.resolve.resolve_code`: None for an empty code."""
        code = (code or "").strip()
        if not code:
            return None
        row = self.rows[model].get(code)
        if row is None:
            raise ValidationError(f"unknown {column} code {code!r}", column=column)
        return cast(CodedModel, row)

    def term(self, code: str, column: str) -> Term:
        """As :func:`testimonio.web.cases.resolve.resolve_term`."""
        term = self.rows[Term].get(code.strip())
        if term is None:
            raise ValidationError(
                f"{code!r} is not a code of this project's vocabulary ({self.project.vocabulary})",
                column=column,
            )
        return cast(Term, term)


def clean_resolved(instance: models.Model) -> None:
    """Validate a row whose relations were resolved here (no query per relation); unique
    values are left to the database's constraints, checked at the write."""
    exclude = _RESOLVED.get(type(instance), [])
    clean_or_raise(instance, exclude=exclude, validate_unique=False)


def seal_identities(
    records: Sequence[Record], identities: Sequence[IdentityFields]
) -> list[tuple[DataKey, RecordIdentity]]:
    """Each record's fresh data key, wrapped under the master key, and its identity sealed
    under that key with the blind indexes (no database access)."""
    master, index = key_ring().current, current_index_key()
    keys = new_keys(len(records))
    wrapped = wrap_data_keys(keys, [str(record.uuid) for record in records], master)
    sealed = []
    for record, key, identity, wrapped_key in zip(records, keys, identities, wrapped, strict=True):
        data_key = DataKey(
            owner=record.uuid, wrapped=wrapped_key, master_key_id=master.key_id.hex()
        )
        columns = sealed_identity_columns(record.uuid, identity, key, index)
        sealed.append((data_key, RecordIdentity(record=record, **columns)))
    return sealed


def encounter_rows(
    owner: PersonRows,
    codes: Codes,
    actor: Actor,
    *,
    date: str,
    port: str,
    attempt_number: int | None,
    fear_expressed: str,
    fear_language: str,
    outcome: str,
    companions: int,
    coded: Iterable[str],
) -> EncounterRows:
    """One encounter of ``owner`` and its codings, as ``do_record_encounter`` and
    ``do_code_encounter`` would write them."""
    when = parse_partial_date(date, column="date")
    encounter = Encounter(
        project=owner.record.project,
        person=owner.person,
        record=owner.record,
        date_year=when.year,
        date_month=when.month,
        date_day=when.day,
        date_precision=DatePrecision(when.precision).value,
        port=codes.code(Port, port, "port"),
        attempt_number=attempt_number,
        fear_expressed=fear_expressed,
        fear_language=codes.code(Language, fear_language, "fear_language"),
        outcome=codes.term(outcome, "outcome") if outcome else None,
        companions=companions,
    )
    clean_resolved(encounter)
    coder = actor if isinstance(actor, User) else None
    codings = []
    for code in coded:
        coding = Coding(
            encounter=encounter, term=codes.term(code, "code"), coder=coder, evidence="web intake"
        )
        clean_resolved(coding)
        codings.append(coding)
    return EncounterRows(owner, encounter, codings, port, when.isoformat())


def record_row(
    project: Project,
    person: Person | None,
    codes: Codes,
    attributes: dict[str, str],
    vulnerabilities: Sequence[str],
    birth_date: str,
) -> Record:
    """An unsaved record as ``do_create_record`` builds it (source set at the write)."""
    attributes = dict(attributes)
    record = Record(project=project, person=person, vulnerabilities=list(vulnerabilities))
    record.nationality = codes.code(Nationality, attributes.pop("nationality", ""), "nationality")
    record.language = codes.code(Language, attributes.pop("language", ""), "language")
    for name, value in attributes.items():
        setattr(record, name, value)
    parse_partial_date(birth_date, column="birth_date")
    clean_resolved(record)
    return record


def build_rows(project: Project, testimony: Testimony, actor: Actor) -> TestimonyRows:
    """Every row of ``testimony``, validated and sealed, before any lock is taken."""
    entries = [testimony.person, *testimony.family]
    codes = Codes(project, _codes_named(testimony))
    rows = TestimonyRows()
    records: list[tuple[Person, bool, Record, PersonEntry]] = []
    for number, entry in enumerate(entries):
        if number and entry.relationship not in Relationship.values:
            raise ValidationError(
                f"unknown relationship {entry.relationship!r}; use one of "
                f"{', '.join(Relationship.values)}",
                column="relationship",
            )
        person = entry.same_as
        if person is not None and person.project_id != project.pk:
            raise ValidationError("that person belongs to another project", column="same_as")
        is_new = person is None
        person = person or Person(project=project)
        record = record_row(
            project,
            person,
            codes,
            entry.attributes,
            entry.vulnerabilities,
            entry.identity.birth_date,
        )
        records.append((person, is_new, record, entry))
    sealed = seal_identities([record for _, _, record, _ in records], [e.identity for e in entries])
    for (person, is_new, record, entry), (data_key, identity) in zip(records, sealed, strict=True):
        rows.people.append(
            PersonRows(
                person,
                is_new,
                record,
                identity,
                data_key,
                filled_fields(entry.identity),
                entry.relationship,
                travelled=entry is testimony.person or entry.shared_encounters,
            )
        )
    for told in testimony.encounters:
        for owner in (someone for someone in rows.people if someone.travelled):
            rows.encounters.append(
                encounter_rows(
                    owner,
                    codes,
                    actor,
                    date=told.date,
                    port=told.port,
                    attempt_number=told.attempt_number,
                    fear_expressed=told.fear_expressed,
                    fear_language=told.fear_language,
                    outcome=told.outcome,
                    companions=len(testimony.family),
                    coded=dict.fromkeys(c for c in (*told.tactics, *told.fear_modes) if c),
                )
            )
    return rows


def _codes_named(testimony: Testimony) -> dict[type[models.Model], set[str]]:
    people = [testimony.person, *testimony.family]
    terms = {code for entry in testimony.encounters for code in (*entry.tactics, *entry.fear_modes)}
    return {
        Nationality: {entry.attributes.get("nationality", "") for entry in people},
        Language: {entry.attributes.get("language", "") for entry in people}
        | {entry.fear_language for entry in testimony.encounters},
        Port: {entry.port for entry in testimony.encounters},
        Term: terms | {entry.outcome for entry in testimony.encounters},
    }


def write_rows(rows: TestimonyRows, project: Project, source: Source) -> list[PendingEvent]:
    """Write the rows in bulk (the caller holds the project's row lock, for the pseudonyms)
    and return their audit events, to append with the testimony's own in one go."""
    new_people = [row.person for row in rows.people if row.is_new]
    for person, pseudonym in zip(
        new_people, pseudonyms_from(project, len(new_people)), strict=True
    ):
        person.pseudonym = pseudonym
    Person.objects.bulk_create(new_people)
    for row in rows.people:
        row.record.source = source
        row.record.person = row.person
    Record.objects.bulk_create([row.record for row in rows.people])
    DataKey.objects.bulk_create([row.data_key for row in rows.people])
    RecordIdentity.objects.bulk_create([row.identity for row in rows.people])
    Encounter.objects.bulk_create([row.encounter for row in rows.encounters])
    Coding.objects.bulk_create([coding for row in rows.encounters for coding in row.codings])
    return _events(rows, project, source)


def _events(rows: TestimonyRows, project: Project, source: Source) -> list[PendingEvent]:
    """The events ``do_create_person``, ``do_create_record``, ``do_record_encounter`` and
    ``do_code_encounter`` record, with the same details."""
    project_id = project.pk
    events = [
        PendingEvent(
            "cases.person.create", row.person, project_id, {"pseudonym": row.person.pseudonym}
        )
        for row in rows.people
        if row.is_new
    ]
    events += [
        PendingEvent(
            "cases.record.create",
            row.record,
            project_id,
            {"source": source.pk, "identity_fields": row.identity_fields},
        )
        for row in rows.people
    ]
    for row in rows.encounters:
        details = {
            "person": row.owner.person.pseudonym,
            "port": row.port,
            "date": row.date,
            "narrative": False,
        }
        events.append(PendingEvent("cases.encounter.create", row.encounter, project_id, details))
        events += [
            PendingEvent(
                "cases.coding.create",
                coding,
                project_id,
                {
                    "encounter": row.encounter.pk,
                    "code": coding.term.code,
                    "evidence": coding.evidence,
                },
            )
            for coding in row.codings
        ]
    return events
