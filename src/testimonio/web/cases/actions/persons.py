"""Re-assign records to persons by linkage cluster: one person per cluster.

Each cluster keeps the lowest pseudonym among its records' persons (pseudonyms already cited
in declarations stay valid); a cluster whose persons were all kept by other clusters, or that
had none, gets a new person. Encounters follow the record that reported them. A person left
without records is merged away (its record-less encounters and documents go to the one person
its records went to) unless it is on legal hold or its records went to several persons: then
it stays, because an encounter always belongs to a person.

Linkage calls it inside its own transaction (the run and the moves commit together); it opens
one of its own too, so it is never half-applied when called alone.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.actions.records import do_create_person
from testimonio.web.cases.models import Encounter, Person, Project, Record
from testimonio.web.evidence.models import Document


def do_reassign_persons(
    project: Project, actor: Actor, records: list[Record], cluster_of: dict[int, int]
) -> int:
    """Give each cluster of ``records`` one person; return how many records changed person."""
    with transaction.atomic():
        return _reassign(project, actor, records, cluster_of)


def _reassign(
    project: Project, actor: Actor, records: list[Record], cluster_of: dict[int, int]
) -> int:
    persons = {person.pk: person for person in Person.objects.filter(project=project)}
    claimed: set[int] = set()
    went_to: dict[int, set[int]] = defaultdict(set)  # old person -> persons its records joined
    moved = 0
    for members in _clusters_in_order(records, cluster_of, persons):
        keeper = _keeper(project, actor, members, persons, claimed)
        for old_person, record_ids in _moves(members, keeper).items():
            old = persons[old_person] if old_person is not None else None
            _move_records(project, actor, record_ids, old, keeper)
            moved += len(record_ids)
            if old_person is not None:
                went_to[old_person].add(keeper.pk)
    for old_person, destinations in went_to.items():
        if old_person not in claimed and len(destinations) == 1:
            _merge_away(project, actor, persons[old_person], persons[destinations.pop()])
    return moved


def _clusters_in_order(
    records: list[Record], cluster_of: dict[int, int], persons: dict[int, Person]
) -> list[list[Record]]:
    """Clusters by their lowest pseudonym, so the oldest persons are kept first."""
    clusters: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        clusters[cluster_of[record.pk]].append(record)

    def lowest(members: list[Record]) -> tuple[str, int]:
        names = [persons[r.person_id].pseudonym for r in members if r.person_id in persons]
        return (min(names, default="~"), min(record.pk for record in members))

    return sorted(clusters.values(), key=lowest)


def _keeper(
    project: Project,
    actor: Actor,
    members: list[Record],
    persons: dict[int, Person],
    claimed: set[int],
) -> Person:
    candidates = sorted(
        {persons[r.person_id] for r in members if r.person_id in persons},
        key=lambda person: person.pseudonym,
    )
    keeper = next((person for person in candidates if person.pk not in claimed), None)
    if keeper is None:
        keeper = do_create_person(project, actor)
        persons[keeper.pk] = keeper
    claimed.add(keeper.pk)
    return keeper


def _moves(members: list[Record], keeper: Person) -> dict[int | None, list[int]]:
    """Record ids to move, by the person they leave (None: they had none)."""
    moves: dict[int | None, list[int]] = defaultdict(list)
    for record in members:
        if record.person_id != keeper.pk:
            moves[record.person_id].append(record.pk)
    return moves


def _move_records(
    project: Project, actor: Actor, record_ids: list[int], old: Person | None, keeper: Person
) -> None:
    Record.objects.filter(pk__in=record_ids).update(person=keeper)
    Encounter.objects.filter(record_id__in=record_ids).update(person=keeper)
    record_event(
        actor,
        "analyses.records.reassign",
        keeper,
        project_id=project.pk,
        details={
            "from": old.pseudonym if old else None,
            "to": keeper.pseudonym,
            "records": sorted(record_ids),
        },
    )


def _merge_away(project: Project, actor: Actor, old: Person, into: Person) -> None:
    """Fold a person whose records all joined ``into`` (kept if on legal hold)."""
    if old.legal_hold or Record.objects.filter(person=old).exists():
        return
    encounters = Encounter.objects.filter(person=old).update(person=into)
    documents = Document.objects.filter(person=old).update(person=into)
    record_event(
        actor,
        "analyses.person.merge",
        old,
        project_id=project.pk,
        details={
            "pseudonym": old.pseudonym,
            "into": into.pseudonym,
            "encounters": encounters,
            "documents": documents,
        },
    )
    old.delete()
