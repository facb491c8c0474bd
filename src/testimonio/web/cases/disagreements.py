"""The facts of a person's records that a merge must agree with, read for one computation.

Birth dates are opened from their sealed fields here, in memory, for the length of one call;
what leaves this module is :func:`testimonio.linkage.disagreements`' reason codes, never a
value. Callers that already hold the opened birth dates (a linkage run) pass them in, so each
identity is decrypted once per run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from testimonio.linkage import RecordFacts, disagreements
from testimonio.web.cases.models import Encounter, Record
from testimonio.web.keys.identity import open_identity


def record_facts(
    records: Iterable[Record], birth_dates: Mapping[int, str] | None = None
) -> dict[int, RecordFacts]:
    """Each record's facts by record id; birth dates opened unless given (by record id)."""
    records = list(records)
    encounters = _encounter_days([record.pk for record in records])
    facts = {}
    for record in records:
        if birth_dates is not None and record.pk in birth_dates:
            birth = birth_dates[record.pk]
        else:
            birth = open_identity(record).birth_date
        facts[record.pk] = RecordFacts(
            record_id=record.pk,
            source_id=record.source_id,
            birth_date=birth,
            sex=record.sex,
            gender_identity=record.gender_identity,
            encounters=tuple(encounters.get(record.pk, ())),
        )
    return facts


def disagreements_by_person(
    facts: Mapping[int, RecordFacts], person_of: Mapping[int, int | None]
) -> dict[int, list[str]]:
    """Reason codes of each person (by id) whose records disagree; others are left out."""
    members: dict[int, list[RecordFacts]] = defaultdict(list)
    for record_id, person_id in person_of.items():
        if person_id is not None and record_id in facts:
            members[person_id].append(facts[record_id])
    found = {person_id: disagreements(group) for person_id, group in members.items()}
    return {person_id: codes for person_id, codes in found.items() if codes}


def _encounter_days(record_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(day, port code) of each record's encounters whose day and port are known."""
    days: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = (
        Encounter.objects.filter(
            record_id__in=record_ids, date_day__isnull=False, port__isnull=False
        )
        .select_related("port")
        .order_by("pk")
    )
    for encounter in rows:
        if encounter.record_id is not None and encounter.port is not None:
            days[encounter.record_id].append((encounter.date.isoformat(), encounter.port.code))
    return days
