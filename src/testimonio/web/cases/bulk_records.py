"""Create many records at once for an import: the same rows, keys and audit events that the
one-at-a-time actions write, built in memory and inserted in batches.

Each new record becomes its own person with a pseudonym, its identity sealed under its own data
key, its encounter and tactic codings, and one audit event per object created, appended to the
chain with a single lock. The caller holds the transaction: this writes all or nothing with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max

from testimonio.crypto import Key, SealContext, seal_value, wrap_data_key
from testimonio.errors import ValidationError
from testimonio.ingest.validation import Attributes, ValidatedRow
from testimonio.web.audit.log import PendingEvent
from testimonio.web.cases.identity import IdentityFields, seal_identity
from testimonio.web.cases.keys import current_index_key, key_ring
from testimonio.web.cases.models import (
    Coding,
    DataKey,
    Encounter,
    EncounterNarrative,
    Language,
    Nationality,
    Person,
    Port,
    Record,
    RecordIdentity,
    Source,
    Term,
)


@dataclass
class Lookups:
    """Codes resolved once per import, not once per row."""

    ports: dict[str, Port]
    nationalities: dict[str, Nationality]
    languages: dict[str, Language]
    terms: dict[str, Term]

    @classmethod
    def for_source(cls, source: Source) -> Lookups:
        return cls(
            ports={p.code: p for p in Port.objects.all()},
            nationalities={n.code: n for n in Nationality.objects.all()},
            languages={language.code: language for language in Language.objects.all()},
            terms={t.code: t for t in Term.objects.filter(version=source.project.vocabulary_id)},
        )


def create_records(
    source: Source,
    rows: Sequence[tuple[str, ValidatedRow]],
    attributes: list[dict[str, str]],
    identities: list[IdentityFields],
    lookups: Lookups,
) -> list[PendingEvent]:
    """Insert persons, records, identities, encounters and codings for ``rows`` (key, row)."""
    project = source.project
    persons = _persons(source, len(rows))
    records = [
        _record(source, person, key, row, values, lookups)
        for person, (key, row), values in zip(persons, rows, attributes, strict=True)
    ]
    Record.objects.bulk_create(records, batch_size=1000)
    _seal_identities(records, identities)
    encounters = _encounters(records, [row for _, row in rows], lookups)
    events = [
        PendingEvent("cases.person.create", p, project.pk, {"pseudonym": p.pseudonym})
        for p in persons
    ]
    events += [
        PendingEvent(
            "cases.record.create",
            r,
            project.pk,
            {"source": source.pk, "identity_fields": _filled(i), "bulk": True},
        )
        for r, i in zip(records, identities, strict=True)
    ]
    return events + encounters


def _persons(source: Source, count: int) -> list[Person]:
    last = Person.objects.filter(project=source.project).aggregate(Max("pseudonym"))
    start = int(last["pseudonym__max"].split("-")[1]) + 1 if last["pseudonym__max"] else 1
    persons = [Person(project=source.project, pseudonym=f"P-{start + n:06d}") for n in range(count)]
    return Person.objects.bulk_create(persons, batch_size=1000)


def _record(
    source: Source,
    person: Person,
    key: str,
    row: ValidatedRow,
    values: dict[str, str],
    lookups: Lookups,
) -> Record:
    record = Record(
        project=source.project,
        source=source,
        person=person,
        external_id=key,
        file_name=row.provenance.file,
        sheet=row.provenance.sheet,
        row_number=row.provenance.row,
        raw_hash=row.provenance.row_hash,
        sex=values["sex"],
        gender_identity=values["gender_identity"],
        age_band=values["age_band"],
        nationality=lookups.nationalities.get(values["nationality"]),
        language=lookups.languages.get(values["language"]),
    )
    return record


def _seal_identities(records: list[Record], identities: list[IdentityFields]) -> None:
    master, index = key_ring().current, current_index_key()
    keys = [Key.generate() for _ in records]
    DataKey.objects.bulk_create(
        [_data_key(record.uuid, key, master) for record, key in zip(records, keys, strict=True)],
        batch_size=1000,
    )
    RecordIdentity.objects.bulk_create(
        [
            seal_identity(record, identity, key, index)
            for record, identity, key in zip(records, identities, keys, strict=True)
        ],
        batch_size=1000,
    )


def _encounters(
    records: list[Record], rows: list[ValidatedRow], lookups: Lookups
) -> list[PendingEvent]:
    made = [
        (record, row, _encounter(record, row.attributes, lookups))
        for record, row in zip(records, rows, strict=True)
        if _has_encounter(row.attributes)
    ]
    Encounter.objects.bulk_create([encounter for _, _, encounter in made], batch_size=1000)
    codings = [
        Coding(encounter=encounter, term=lookups.terms[code], evidence=f"row {row.provenance.row}")
        for _, row, encounter in made
        for code in dict.fromkeys(row.attributes.tactics)
    ]
    Coding.objects.bulk_create(codings, batch_size=1000)
    _seal_narratives(
        [
            (encounter, row.identity.narrative)
            for _, row, encounter in made
            if row.identity.narrative
        ]
    )
    project_id = records[0].project_id if records else None
    events = [
        PendingEvent(
            "cases.encounter.create",
            e,
            project_id,
            {"person": r.person.pseudonym if r.person else "", "bulk": True},
        )
        for r, _, e in made
    ]
    return events + [
        PendingEvent(
            "cases.coding.create", c, project_id, {"encounter": c.encounter.pk, "code": c.term.code}
        )
        for c in codings
    ]


def _encounter(record: Record, a: Attributes, lookups: Lookups) -> Encounter:
    date = a.encounter_date
    encounter = Encounter(
        project=record.project,
        person=record.person,
        record=record,
        date_year=date.year if date else None,
        date_month=date.month if date else None,
        date_day=date.day if date else None,
        date_precision=date.precision.value if date else "unknown",
        port=lookups.ports.get(a.port),
        attempt_number=a.attempt_number,
        fear_expressed=a.fear_expressed or "unknown",
        outcome=lookups.terms.get(a.outcome),
    )
    # The domain rules (date precision, person, outcome scheme); the field formats were checked
    # by ingest's validation, and a full_clean would query the database once per row.
    try:
        encounter.clean()
    except DjangoValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ValidationError(" ".join(messages), column=field) from None
    return encounter


def _seal_narratives(items: list[tuple[Encounter, str]]) -> None:
    master = key_ring().current
    keys = [Key.generate() for _ in items]
    DataKey.objects.bulk_create(
        [_data_key(e.uuid, key, master) for (e, _), key in zip(items, keys, strict=True)]
    )
    EncounterNarrative.objects.bulk_create(
        [
            EncounterNarrative(
                encounter=encounter,
                text=seal_value(
                    text, SealContext("cases.encounternarrative", "text", str(encounter.uuid)), key
                ),
            )
            for (encounter, text), key in zip(items, keys, strict=True)
        ]
    )


def _has_encounter(a: Attributes) -> bool:
    return bool(a.encounter_date or a.port or a.tactics or a.outcome)


def _data_key(owner: uuid.UUID, key: Key, master: Key) -> DataKey:
    return DataKey(
        owner=owner,
        wrapped=wrap_data_key(key, str(owner), master),
        master_key_id=master.key_id.hex(),
    )


def _filled(identity: IdentityFields) -> list[str]:
    return [name for name, value in vars(identity).items() if value]
