"""Create many records at once for an import: the same rows and keys the one-at-a-time actions
write, prepared for one statement per table (:mod:`testimonio.web.db.bulk_insert`), and one audit
event per record naming everything created for it.

Each new record becomes its own person with a pseudonym, its identity sealed under its own data
key (crypto-shredding stays per record), and its encounters (one per repeat row, or the row's
own) with their tactic codings and sealed narratives. The encounter rules of
:meth:`Encounter.clean` are checked for every distinct combination of values (they depend on
nothing else). Audit details name pseudonyms, UUIDs and codes, never an identity value.

Everything that needs the database (lookups, reserved ids, the first pseudonym, the audit
chain's head) is read once by :class:`NewRecords`; :meth:`NewRecords.build` then makes a
chunk's rows without touching the database, so chunks can be built in worker processes
(:mod:`testimonio.web.imports.workers` writes them). The caller holds the transaction and
the project lock: the rows are written all or nothing with it. :class:`ImportRun` is the
import's state around them (counts, errors, which rows are new), used by the writers too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import Max, Model

from testimonio.crypto import SealContext, seal_value, wrap_data_keys
from testimonio.crypto import surname_year_index as surname_year_blind_index
from testimonio.errors import ValidationError
from testimonio.ingest import EncounterRow, Provenance, RowError, RowHasher, ValidatedRow
from testimonio.web.audit.log import EventChain, PendingEvent, TargetRef
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import (
    Encounter,
    Language,
    Nationality,
    Person,
    Port,
    Record,
    Source,
    Term,
)
from testimonio.web.db.bulk_insert import RowInserter, reserve_ids
from testimonio.web.imports.row_values import (
    coding_evidence,
    filled_fields,
    identity_fields,
    new_keys,
    record_attributes,
    uuid4s,
)
from testimonio.web.imports.statements import IDENTITY_VALUE_COLUMNS, Rows, Statements
from testimonio.web.keys.identity import IdentityFields, sealed_identity_columns
from testimonio.web.keys.ring import current_index_key, key_ring, row_hasher


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_rows: list[int] = field(default_factory=list)
    #: Per field, how many updated records it changed (names and counts, never values).
    fields_changed: dict[str, int] = field(default_factory=dict)


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
class ChunkIds:
    """The primary keys and pseudonym numbers reserved for one chunk of new records."""

    persons: Sequence[int]
    records: Sequence[int]
    encounters: Sequence[int]
    events: Sequence[int]
    first_pseudonym: int


@dataclass
class ChunkRows:
    """One chunk's rows, prepared for :meth:`Statements.in_order` (a list per statement), and
    its audit events (to be chained in order)."""

    tables: list[Rows]
    events: list[PendingEvent]


class NewRecords:
    """What creating an import's new records needs from the database, read and reserved once
    in the importing process: lookups, keys, prepared statements, ids and the audit chain.

    Why: with all of it decided up front, :meth:`build` makes a chunk's rows without reading
    the database, so chunks can be built in worker processes while the importing process
    writes.
    """

    def __init__(self, source: Source, lookups: Lookups, chain: EventChain) -> None:
        self.source, self.lookups, self.chain = source, lookups, chain
        self.statements = Statements()
        self.template_person = Person(project=source.project)
        self.checked: set[tuple[Any, ...]] = set()
        self.master, self.index = key_ring().current, current_index_key()
        self.master_id = self.master.key_id.hex()
        #: Row fingerprints and record keys are stored keyed (forked workers inherit it).
        self.hasher = row_hasher(self.master)
        # Surnames repeat across a list: normalise and HMAC each (surname, year) once per
        # import. The index covers the birth year only, so the year is all the memo needs.
        memo = cache(surname_year_blind_index)
        self.surname_year = lambda surnames, birth, key: memo(surnames, birth[:4], key)
        self._next_pseudonym: int | None = None
        self._with_shared = True
        self._following: dict[type[Model], int] = {}

    def reserve(self, rows: Sequence[ValidatedRow]) -> ChunkIds:
        """Reserve ids and pseudonym numbers for the next chunk of new ``rows``."""
        return self.reserve_counts(len(rows), sum(row.encounter_count() for row in rows))

    def reserve_counts(self, records: int, encounters: int) -> ChunkIds:
        """Reserve ids and pseudonym numbers for the next chunk of ``records`` new records
        with ``encounters`` encounters in all.

        Chunks are reserved before the ones before them are written: on SQLite (which the
        import holds locked) the numbers continue from the last reservation rather than from
        the table; PostgreSQL's sequences hand out fresh numbers anyway.
        """
        if self._next_pseudonym is None:
            last = Person.objects.filter(project=self.source.project).aggregate(Max("pseudonym"))[
                "pseudonym__max"
            ]
            self._next_pseudonym = int(last.split("-")[1]) + 1 if last else 1
        ids = ChunkIds(
            self._take(Person, records),
            self._take(Record, records),
            self._take(Encounter, encounters),
            self._take(AuditEvent, records),
            self._next_pseudonym,
        )
        self._next_pseudonym += records
        return ids

    def _take(self, model: type[Model], count: int) -> Sequence[int]:
        if connection.vendor != "sqlite":
            return reserve_ids(model, count)
        start = self._following.get(model)
        if start is None:
            start = reserve_ids(model, 1)[0]  # the first free id: nothing reserved is written yet
        self._following[model] = start + count
        return range(start, start + count)

    def build(
        self, rows: Sequence[tuple[str, ValidatedRow]], ids: ChunkIds, *, shared: bool = True
    ) -> ChunkRows:
        """The prepared rows of one chunk (key, row) and its audit events; reads no database.

        ``shared=False`` leaves out the values every row of a table shares
        (:meth:`RowInserter.prepare_given`), for the staged copy that adds them once.
        """
        self._with_shared = shared
        attributes = [record_attributes(row.attributes) for _, row in rows]
        identities = [identity_fields(row) for _, row in rows]
        news = [
            _New(record_id, text, stored, person_id, f"P-{ids.first_pseudonym + n:06d}")
            for n, (person_id, record_id, (text, stored)) in enumerate(
                zip(ids.persons, ids.records, uuid4s(len(rows)), strict=True)
            )
        ]
        statements, project_id = self.statements, self.source.project_id
        persons = self._prepare(statements.persons)(
            (new.person_id, project_id, new.pseudonym, stored)
            for new, (_, stored) in zip(news, uuid4s(len(news)), strict=True)
        )
        records = self._prepare(statements.records)(
            _record_row(self, new, key, row, values)
            for new, (key, row), values in zip(news, rows, attributes, strict=True)
        )
        identity_keys, sealed = self._seal_identities(news, identities)
        encounters, codings, narrative_keys, narratives = self._encounters(
            news, [row for _, row in rows], ids.encounters
        )
        source_id = self.source.pk
        events = [
            PendingEvent(
                "cases.record.import",
                TargetRef("cases.record", new.record_id),
                project_id,
                {
                    "source": source_id,
                    "person": new.pseudonym,
                    "record": new.record_text,
                    "identity_fields": filled_fields(identity),
                    "encounters": new.encounters,
                },
            )
            for new, (_, row), identity in zip(news, rows, identities, strict=True)
        ]
        tables = [
            persons,
            records,
            identity_keys + narrative_keys,
            sealed,
            encounters,
            codings,
            narratives,
        ]
        return ChunkRows(tables, events)

    def _prepare(self, statement: RowInserter) -> Callable[[Iterable[Sequence[Any]]], Rows]:
        """How this build prepares rows for ``statement`` (with the shared values or not)."""
        return statement.prepare if self._with_shared else statement.prepare_given

    def _seal_identities(
        self, news: list[_New], identities: Sequence[IdentityFields]
    ) -> tuple[Rows, Rows]:
        """A fresh data key per record, wrapped under the master key; values sealed under it."""
        keys = new_keys(len(news))
        wrapped = wrap_data_keys(keys, [new.record_text for new in news], self.master)
        data_keys = self._prepare(self.statements.data_keys)(
            (new.record_stored, wrapped_key, self.master_id)
            for new, wrapped_key in zip(news, wrapped, strict=True)
        )
        sealed = self._prepare(self.statements.identities)(
            [
                new.record_id,
                *map(
                    sealed_identity_columns(
                        new.record_text, identity, key, self.index, self.surname_year
                    ).get,
                    IDENTITY_VALUE_COLUMNS,
                ),
            ]
            for new, identity, key in zip(news, identities, keys, strict=True)
        )
        return data_keys, sealed

    def _encounters(
        self, news: list[_New], rows: list[ValidatedRow], ids: Sequence[int]
    ) -> tuple[Rows, Rows, Rows, Rows]:
        """Encounters, codings, and the narratives' data keys and sealed texts."""
        made = [
            (new, item)
            for new, row in zip(news, rows, strict=True)
            for item in row.encounter_rows()
        ]
        uuids = uuid4s(len(made))
        encounters = self._prepare(self.statements.encounters)(
            _encounter_row(self, new, item, pk, encounter_uuid)
            for (new, item), pk, encounter_uuid in zip(made, ids, uuids, strict=True)
        )
        terms = self.lookups.terms
        codings = self._prepare(self.statements.codings)(
            (pk, terms[code].pk, coding_evidence(item))
            for (_, item), pk in zip(made, ids, strict=True)
            for code in dict.fromkeys(item.attributes.tactics)
        )
        data_keys, narratives = self._seal_narratives(
            [(pk, u, item.narrative) for (_, item), pk, u in zip(made, ids, uuids, strict=True)]
        )
        for (new, item), (text, _) in zip(made, uuids, strict=True):
            new.encounters.append(
                {"uuid": text, "codes": list(dict.fromkeys(item.attributes.tactics))}
            )
        return encounters, codings, data_keys, narratives

    def _seal_narratives(self, items: list[tuple[int, tuple[str, Any], str]]) -> tuple[Rows, Rows]:
        """Each narrative sealed under a fresh data key of its encounter (uuid text, stored)."""
        present = [(pk, owner, text) for pk, owner, text in items if text]
        sealed = [(*item, key) for item, key in zip(present, new_keys(len(present)), strict=True)]
        wrapped = wrap_data_keys(
            [key for *_, key in sealed], [owner[0] for _, owner, _, _ in sealed], self.master
        )
        data_keys = self._prepare(self.statements.data_keys)(
            (owner[1], wrapped_key, self.master_id)
            for (_, owner, _, _), wrapped_key in zip(sealed, wrapped, strict=True)
        )
        narratives = self._prepare(self.statements.narratives)(
            (pk, seal_value(text, SealContext("cases.encounternarrative", "text", owner[0]), key))
            for pk, owner, text, key in sealed
        )
        return data_keys, narratives


@dataclass
class _New:
    """What is being created for one record, gathered for its audit event."""

    record_id: int
    #: The record's UUID as text: it binds the record's key and values and names it in the
    #: audit event; and as the database stores it.
    record_text: str
    record_stored: Any
    person_id: int
    pseudonym: str
    encounters: list[dict[str, Any]] = field(default_factory=list)


def _record_row(
    new_records: NewRecords, new: _New, key: str, row: ValidatedRow, values: dict[str, str]
) -> tuple[Any, ...]:
    lookups = new_records.lookups
    nationality = lookups.nationalities.get(values["nationality"])
    language = lookups.languages.get(values["language"])
    return (
        new.record_id,
        new_records.source.project_id,
        new_records.source.pk,
        new.person_id,
        new.record_stored,
        key,
        new_records.hasher.row_hash(row.provenance.digest),
        values["sex"],
        values["gender_identity"],
        values["age_band"],
        nationality.pk if nationality else None,
        language.pk if language else None,
    )


def _encounter_row(
    new_records: NewRecords, new: _New, item: EncounterRow, pk: int, encounter_uuid: tuple[str, Any]
) -> tuple[Any, ...]:
    a, lookups = item.attributes, new_records.lookups
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
    if values not in new_records.checked:
        _check_encounter(new_records, values, item)
        new_records.checked.add(values)
    project_id = new_records.source.project_id
    return (pk, project_id, new.person_id, new.record_id, encounter_uuid[1], *values)


def _check_encounter(new_records: NewRecords, values: tuple[Any, ...], item: EncounterRow) -> None:
    """The model's domain rules (date precision, person, outcome scheme) on these values; the
    field formats were checked by ingest's validation. Builds the model object only, never
    reads the database."""
    year, month, day, precision, port_id, attempt, fear, outcome_id = values
    outcome = new_records.lookups.terms.get(item.attributes.outcome)
    encounter = Encounter(
        project=new_records.source.project,
        person=new_records.template_person,
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


class ImportRun:
    """One import's state inside its transaction: what is known of the source, the counts,
    the errors so far, the rows that change a record, and the new records' writer state."""

    def __init__(
        self,
        source: Source,
        new_records: NewRecords,
        skip_invalid: bool,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.new_records, self.skip_invalid, self.progress = new_records, skip_invalid, progress
        self.result = ImportResult()
        self.errors: list[RowError] = []
        self.changed: list[tuple[str, ValidatedRow]] = []
        # The source's records already here (keyed record key -> keyed row hash), read once
        # per import; then also this import's rows, by their keyed hash too: a provenance
        # kept here instead would keep every row's cells in memory until the import ends.
        self.known: dict[str, str | Provenance] = dict(
            Record.objects.filter(source=source).values_list("external_id", "raw_hash")
        )

    @property
    def refused(self) -> bool:
        """Rows failed and the import is all or nothing: nothing will be written."""
        return bool(self.errors) and not self.skip_invalid

    def sort(
        self, keyed: Sequence[tuple[str, str | Provenance]], rows: Sequence[ValidatedRow] | None
    ) -> tuple[list[int], list[int]]:
        """Positions of the rows to create and of the rows that change a record, given each
        valid row's keyed key (of the source's record id, else sheet and row) and its keyed
        hash (or its provenance, which makes the hash when asked); counts the unchanged rows.
        ``rows`` (when this process holds them) are kept for the changes."""
        new, changed, unchanged = [], [], 0
        known, hasher = self.known, self.new_records.hasher
        for position, (key, digest) in enumerate(keyed):
            before = known.get(key)
            if before is not None:
                if _hash(before, hasher) == _hash(digest, hasher):
                    unchanged += 1
                    continue
                changed.append(position)
                if rows is not None:
                    self.changed.append((key, rows[position]))
            else:
                new.append(position)
            known[key] = _hash(digest, hasher)
        result = self.result
        result.created, result.updated = result.created + len(new), result.updated + len(changed)
        result.unchanged += unchanged
        if unchanged and self.progress is not None:
            self.progress(unchanged)
        return new, changed


def _hash(value: str | Provenance, hasher: RowHasher) -> str:
    return value if isinstance(value, str) else hasher.row_hash(value.digest)
