"""Create many records at once for an import: the same rows and keys the one-at-a-time actions
write, inserted with prepared statements (:mod:`testimonio.web.bulk_insert`), and one audit
event per record naming everything created for it.

Each new record becomes its own person with a pseudonym, its identity sealed under its own data
key (crypto-shredding stays per record), and its encounters (one per repeat row, or the row's
own) with their tactic codings and sealed narratives. The encounter rules of
:meth:`Encounter.clean` are checked for every distinct combination of values (they depend on
nothing else). The caller holds the transaction and the project lock: this writes all or
nothing with it. Audit details name pseudonyms, UUIDs and codes, never an identity value.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max

from testimonio.crypto import Key, SealContext, seal_value
from testimonio.crypto import surname_year_index as surname_year_blind_index
from testimonio.crypto.envelope import wrap_data_keys
from testimonio.crypto.keys import KEY_BYTES
from testimonio.errors import ValidationError
from testimonio.ingest.validation import EncounterRow, ValidatedRow
from testimonio.web.audit.log import PendingEvent, TargetRef
from testimonio.web.bulk_insert import RowInserter, reserve_ids
from testimonio.web.cases.identity import IdentityFields, sealed_identity_columns
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

RECORD_COLUMNS = [
    "id",
    "project_id",
    "source_id",
    "person_id",
    "uuid",
    "external_id",
    "file_name",
    "sheet",
    "row_number",
    "raw_hash",
    "sex",
    "gender_identity",
    "age_band",
    "nationality_id",
    "language_id",
]
ENCOUNTER_COLUMNS = [
    "id",
    "project_id",
    "person_id",
    "record_id",
    "uuid",
    "date_year",
    "date_month",
    "date_day",
    "date_precision",
    "port_id",
    "attempt_number",
    "fear_expressed",
    "outcome_id",
]
IDENTITY_COLUMNS = ["record_id", *RecordIdentity.SEALED_FIELDS, "surname_year_index", "phone_index"]
IDENTITY_VALUE_COLUMNS = IDENTITY_COLUMNS[1:]


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


@dataclass
class BulkWriter:
    """One import's prepared statements, lookups and the encounter values already checked."""

    source: Source
    lookups: Lookups
    checked: set[tuple[Any, ...]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.persons = RowInserter(Person, ["id", "project_id", "pseudonym", "uuid"])
        self.records = RowInserter(Record, RECORD_COLUMNS)
        self.data_keys = RowInserter(DataKey, ["owner", "wrapped", "master_key_id"])
        self.identities = RowInserter(RecordIdentity, IDENTITY_COLUMNS)
        self.encounters = RowInserter(Encounter, ENCOUNTER_COLUMNS)
        self.codings = RowInserter(Coding, ["encounter_id", "term_id", "evidence"])
        self.narratives = RowInserter(EncounterNarrative, ["encounter_id", "text"])
        self.template_person = Person(project=self.source.project)
        # Surnames repeat across a list: normalise and HMAC each (surname, year) once per import.
        # The index covers the birth year only, so the year is all the memo needs.
        memo = cache(surname_year_blind_index)
        self.surname_year = lambda surnames, birth, key: memo(surnames, birth[:4], key)
        # The source's records already here (external id -> row hash), read once per import.
        self.existing: dict[str, str] = dict(
            Record.objects.filter(source=self.source).values_list("external_id", "raw_hash")
        )


@dataclass
class _New:
    """What is being created for one record, gathered for its audit event."""

    record_id: int
    record_uuid: uuid.UUID
    person_id: int
    pseudonym: str
    encounters: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The UUID's text binds the record's key and values and names it in the audit event.
        self.record_text = str(self.record_uuid)


def create_records(
    writer: BulkWriter,
    rows: Sequence[tuple[str, ValidatedRow]],
    attributes: list[dict[str, str]],
    identities: list[IdentityFields],
) -> list[PendingEvent]:
    """Insert persons, records, identities, encounters and codings for ``rows`` (key, row);
    returns one audit event per record."""
    source = writer.source
    news = _persons(writer, len(rows))
    writer.records.insert(
        _record_row(writer, new, key, row, values)
        for new, (key, row), values in zip(news, rows, attributes, strict=True)
    )
    _seal_identities(writer, news, identities)
    _encounters(writer, news, [row for _, row in rows])
    return [
        PendingEvent(
            "cases.record.import",
            TargetRef("cases.record", new.record_id),
            source.project_id,
            {
                "source": source.pk,
                "row": row.provenance.row,
                "person": new.pseudonym,
                "record": new.record_text,
                "identity_fields": _filled(identity),
                "encounters": new.encounters,
            },
        )
        for new, (_, row), identity in zip(news, rows, identities, strict=True)
    ]


def _persons(writer: BulkWriter, count: int) -> list[_New]:
    project = writer.source.project
    last = Person.objects.filter(project=project).aggregate(Max("pseudonym"))["pseudonym__max"]
    start = int(last.split("-")[1]) + 1 if last else 1
    news = [
        _New(record_id, record_uuid, person_id, f"P-{start + n:06d}")
        for n, (person_id, record_id, record_uuid) in enumerate(
            zip(reserve_ids(Person, count), reserve_ids(Record, count), _uuid4s(count), strict=True)
        )
    ]
    writer.persons.insert(
        (new.person_id, project.pk, new.pseudonym, person_uuid)
        for new, person_uuid in zip(news, _uuid4s(count), strict=True)
    )
    return news


def _record_row(
    writer: BulkWriter, new: _New, key: str, row: ValidatedRow, values: dict[str, str]
) -> tuple[Any, ...]:
    provenance, lookups = row.provenance, writer.lookups
    nationality = lookups.nationalities.get(values["nationality"])
    language = lookups.languages.get(values["language"])
    return (
        new.record_id,
        writer.source.project_id,
        writer.source.pk,
        new.person_id,
        new.record_uuid,
        key,
        provenance.file,
        provenance.sheet,
        provenance.row,
        provenance.row_hash,
        values["sex"],
        values["gender_identity"],
        values["age_band"],
        nationality.pk if nationality else None,
        language.pk if language else None,
    )


def _seal_identities(
    writer: BulkWriter, news: list[_New], identities: list[IdentityFields]
) -> None:
    """A fresh data key per record, wrapped under the master key; values sealed under it."""
    master, index = key_ring().current, current_index_key()
    master_id = master.key_id.hex()
    keys = _new_keys(len(news))
    wrapped = wrap_data_keys(keys, [new.record_text for new in news], master)
    writer.data_keys.insert(
        (new.record_uuid, wrapped_key, master_id)
        for new, wrapped_key in zip(news, wrapped, strict=True)
    )
    writer.identities.insert(
        _identity_row(
            new,
            sealed_identity_columns(new.record_text, identity, key, index, writer.surname_year),
        )
        for new, identity, key in zip(news, identities, keys, strict=True)
    )


def _identity_row(new: _New, columns: dict[str, bytes | str | None]) -> list[Any]:
    return [new.record_id, *map(columns.get, IDENTITY_VALUE_COLUMNS)]


def _encounters(writer: BulkWriter, news: list[_New], rows: list[ValidatedRow]) -> None:
    made = [
        (new, item) for new, row in zip(news, rows, strict=True) for item in row.encounter_rows()
    ]
    ids = reserve_ids(Encounter, len(made))
    uuids = _uuid4s(len(made))
    writer.encounters.insert(
        _encounter_row(writer, new, item, pk, encounter_uuid)
        for (new, item), pk, encounter_uuid in zip(made, ids, uuids, strict=True)
    )
    terms = writer.lookups.terms
    writer.codings.insert(
        (pk, terms[code].pk, _evidence(item))
        for (_, item), pk in zip(made, ids, strict=True)
        for code in dict.fromkeys(item.attributes.tactics)
    )
    _seal_narratives(
        writer,
        [(pk, u, item.narrative) for (_, item), pk, u in zip(made, ids, uuids, strict=True)],
    )
    for (new, item), encounter_uuid in zip(made, uuids, strict=True):
        new.encounters.append(
            {"uuid": str(encounter_uuid), "codes": list(dict.fromkeys(item.attributes.tactics))}
        )


def _evidence(item: EncounterRow) -> str:
    return f"{item.sheet} row {item.row}" if item.sheet else f"row {item.row}"


def _encounter_row(
    writer: BulkWriter, new: _New, item: EncounterRow, pk: int, encounter_uuid: uuid.UUID
) -> tuple[Any, ...]:
    a, lookups = item.attributes, writer.lookups
    date = a.encounter_date
    port, outcome = lookups.ports.get(a.port), lookups.terms.get(a.outcome)
    values = (
        date.year if date else None,
        date.month if date else None,
        date.day if date else None,
        date.precision.value if date else "unknown",
        port.pk if port else None,
        a.attempt_number,
        a.fear_expressed or "unknown",
        outcome.pk if outcome else None,
    )
    if values not in writer.checked:
        _check_encounter(writer, values, item)
        writer.checked.add(values)
    project_id = writer.source.project_id
    return (pk, project_id, new.person_id, new.record_id, encounter_uuid, *values)


def _check_encounter(writer: BulkWriter, values: tuple[Any, ...], item: EncounterRow) -> None:
    """The model's domain rules (date precision, person, outcome scheme) on these values; the
    field formats were checked by ingest's validation."""
    year, month, day, precision, port_id, attempt, fear, outcome_id = values
    outcome = writer.lookups.terms.get(item.attributes.outcome)
    encounter = Encounter(
        project=writer.source.project,
        person=writer.template_person,
        date_year=year,
        date_month=month,
        date_day=day,
        date_precision=precision,
        port_id=port_id,
        attempt_number=attempt,
        fear_expressed=fear,
        outcome=outcome if outcome_id else None,
    )
    try:
        encounter.clean()
    except DjangoValidationError as error:
        column, messages = next(iter(error.message_dict.items()))
        raise ValidationError(" ".join(messages), row=item.row, column=column) from None


def _seal_narratives(writer: BulkWriter, items: list[tuple[int, uuid.UUID, str]]) -> None:
    master = key_ring().current
    master_id = master.key_id.hex()
    present = [(pk, owner, text) for pk, owner, text in items if text]
    sealed = [(*item, key) for item, key in zip(present, _new_keys(len(present)), strict=True)]
    wrapped = wrap_data_keys(
        [key for *_, key in sealed], [str(owner) for _, owner, _, _ in sealed], master
    )
    writer.data_keys.insert(
        (owner, wrapped_key, master_id)
        for (_, owner, _, _), wrapped_key in zip(sealed, wrapped, strict=True)
    )
    writer.narratives.insert(
        (pk, seal_value(text, SealContext("cases.encounternarrative", "text", str(owner)), key))
        for pk, owner, text, key in sealed
    )


def _uuid4s(count: int) -> list[uuid.UUID]:
    """``count`` random (version 4) UUIDs, as :func:`uuid.uuid4` makes them, from one read of
    the system's random source instead of one per UUID."""
    random = os.urandom(16 * count)
    return [uuid.UUID(bytes=random[16 * n : 16 * (n + 1)], version=4) for n in range(count)]


def _new_keys(count: int) -> list[Key]:
    """``count`` fresh data keys, as :meth:`Key.generate` makes them, from one read of the
    system's random source instead of one per key."""
    material = os.urandom(KEY_BYTES * count)
    return [Key(material[KEY_BYTES * n : KEY_BYTES * (n + 1)]) for n in range(count)]


IDENTITY_NAMES = tuple(item.name for item in fields(IdentityFields))


def _filled(identity: IdentityFields) -> list[str]:
    return [name for name in IDENTITY_NAMES if getattr(identity, name)]
