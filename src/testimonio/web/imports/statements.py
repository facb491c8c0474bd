"""The prepared inserts of an import's new records: which columns of which table, in the order
a chunk writes them (:mod:`testimonio.web.db.bulk_insert` makes one statement of each)."""

from __future__ import annotations

from typing import Any

from testimonio.web.cases.models import (
    Coding,
    Encounter,
    EncounterNarrative,
    Person,
    Record,
    RecordIdentity,
)
from testimonio.web.db.bulk_insert import RowInserter
from testimonio.web.keys.models import DataKey

RECORD_COLUMNS = [
    "id",
    "project_id",
    "source_id",
    "person_id",
    "uuid",
    "external_id",
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
IDENTITY_COLUMNS = ["record_id", *RecordIdentity.SEALED_FIELDS, *RecordIdentity.BLIND_INDEXES]
IDENTITY_VALUE_COLUMNS = IDENTITY_COLUMNS[1:]

Rows = list[tuple[Any, ...]]


class Statements:
    """The prepared inserts of an import's new records, in the order a chunk writes them
    (persons before the records that point to them, and so on)."""

    def __init__(self) -> None:
        # UUIDs come in the database's form already (see row_values.uuid4s).
        self.persons = RowInserter(
            Person, ["id", "project_id", "pseudonym", "uuid"], prepared=["uuid"]
        )
        self.records = RowInserter(Record, RECORD_COLUMNS, prepared=["uuid"])
        self.data_keys = RowInserter(
            DataKey, ["owner", "wrapped", "master_key_id"], prepared=["owner"]
        )
        self.identities = RowInserter(RecordIdentity, IDENTITY_COLUMNS)
        self.encounters = RowInserter(Encounter, ENCOUNTER_COLUMNS, prepared=["uuid"])
        self.codings = RowInserter(Coding, ["encounter_id", "term_id", "evidence"])
        self.narratives = RowInserter(EncounterNarrative, ["encounter_id", "text"])

    def in_order(self) -> list[RowInserter]:
        return [
            self.persons,
            self.records,
            self.data_keys,
            self.identities,
            self.encounters,
            self.codings,
            self.narratives,
        ]
