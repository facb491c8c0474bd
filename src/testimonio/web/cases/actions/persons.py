"""Re-assign records to persons by linkage cluster: one person per cluster.

Each cluster keeps the lowest pseudonym among its records' persons (pseudonyms already cited
in declarations stay valid); a cluster whose persons were all kept by other clusters, or that
had none, gets a new person. Encounters follow the record that reported them. A person left
without records is merged away (its record-less encounters and documents go to the one person
its records went to) unless it is on legal hold or its records went to several persons: then
it stays, because an encounter always belongs to a person.

Linkage calls it inside its own transaction (the run and the moves commit together); it opens
one of its own too, so it is never half-applied when called alone.

A wrong merge is undone with :func:`do_split_person`: the split-off records get new persons and
every pair of records the split put apart becomes a :class:`CannotLink` constraint that later
linkage runs honour. :func:`do_flag_persons` stores which persons' records disagree (reason
codes only, see :mod:`testimonio.web.cases.disagreements`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations

from django.contrib.auth.models import User
from django.db import transaction

from testimonio.errors import ValidationError
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.actions.records import do_create_person
from testimonio.web.cases.disagreements import disagreements_by_person, record_facts
from testimonio.web.cases.models import (
    CannotLink,
    Encounter,
    Person,
    Project,
    Record,
    SplitReason,
)
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


def do_flag_persons(project: Project, actor: Actor, flags: Mapping[int, list[str]]) -> int:
    """Store each person's disagreement codes (``flags`` by person id); clear everyone else's.

    Returns how many persons are flagged. The audit event counts persons by reason; it names
    no record value.
    """
    with transaction.atomic():
        changed = []
        for person in Person.objects.filter(project=project).only("pk", "disagreements"):
            codes = sorted(flags.get(person.pk, []))
            if list(person.disagreements or []) != codes:
                person.disagreements = codes
                changed.append(person)
        Person.objects.bulk_update(changed, ["disagreements"], batch_size=500)
        flagged = {pk: codes for pk, codes in flags.items() if codes}
        by_reason = Counter(code for codes in flagged.values() for code in codes)
        record_event(
            actor,
            "cases.persons.flag",
            project,
            project_id=project.pk,
            details={"flagged": len(flagged), "by_reason": dict(sorted(by_reason.items()))},
        )
    return len(flagged)


def do_split_person(
    person: Person, record_groups: Sequence[Sequence[int]], actor: Actor, reason: str
) -> list[Person]:
    """Split the records in ``record_groups`` off ``person``, each group to a new person.

    Records in no group stay with ``person`` (if every record is in a group, the first group
    stays). Encounters follow the record that reported them (their codings with them);
    encounters and documents with no record stay with ``person``. Every pair of records now in
    different persons is stored as a cannot-link constraint, so no later linkage run joins them
    again. Returns the new persons.
    """
    if reason not in SplitReason.values:
        raise ValidationError(
            f"the reason must be one of {', '.join(SplitReason.values)}", column="reason"
        )
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=person.project_id).exists()
        person = Person.objects.select_related("project").get(pk=person.pk)
        if person.erased_at is not None:
            raise ValidationError(f"{person.pseudonym} has been erased and cannot be split")
        staying, moving = _split_parts(person, record_groups)
        new_persons = [_split_off(person, actor, group) for group in moving]
        pairs = _cannot_link(person.project, actor, [staying, *moving], reason)
        _reflag([person, *new_persons])
        record_event(
            actor,
            "cases.person.split",
            person,
            project_id=person.project_id,
            details={
                "pseudonym": person.pseudonym,
                "into": [new.pseudonym for new in new_persons],
                "records": [staying, *moving],
                "reason": reason,
                "cannot_link_pairs": pairs,
            },
        )
    return new_persons


def _split_parts(
    person: Person, record_groups: Sequence[Sequence[int]]
) -> tuple[list[int], list[list[int]]]:
    """(records that stay, groups that move), checked: disjoint, non-empty, the person's own."""
    own = set(Record.objects.filter(person=person).values_list("pk", flat=True))
    groups = [sorted({int(record) for record in group}) for group in record_groups]
    groups = [group for group in groups if group]
    chosen = [record for group in groups for record in group]
    if len(chosen) != len(set(chosen)):
        raise ValidationError("a record can be in one group only", column="records")
    if not set(chosen) <= own:
        raise ValidationError(
            f"only records of {person.pseudonym} can be split off it", column="records"
        )
    staying = sorted(own - set(chosen))
    if not staying and groups:
        staying = groups.pop(0)
    if not groups:
        raise ValidationError(
            "choose the records that are another person (at least one must stay)",
            column="records",
        )
    return staying, groups


def _split_off(person: Person, actor: Actor, group: list[int]) -> Person:
    new = do_create_person(person.project, actor)
    Record.objects.filter(pk__in=group).update(person=new)
    Encounter.objects.filter(record_id__in=group).update(person=new)
    return new


def _cannot_link(project: Project, actor: Actor, parts: list[list[int]], reason: str) -> int:
    """One constraint per pair of records in different parts (already stored ones kept)."""
    created_by = actor if isinstance(actor, User) else None
    rows = [
        CannotLink(
            project=project,
            record_a_id=min(first, second),
            record_b_id=max(first, second),
            reason=reason,
            created_by=created_by,
        )
        for part, other in combinations(parts, 2)
        for first in part
        for second in other
    ]
    CannotLink.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def _reflag(persons: list[Person]) -> None:
    """Recompute the disagreement codes of the persons a split left."""
    records = list(Record.objects.filter(person__in=persons))
    found = disagreements_by_person(
        record_facts(records), {record.pk: record.person_id for record in records}
    )
    for person in persons:
        person.disagreements = found.get(person.pk, [])
    Person.objects.bulk_update(persons, ["disagreements"])
