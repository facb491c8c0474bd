"""Linkage inside a project: records merged into persons, decisions honoured, runs repeatable."""

from __future__ import annotations

import json

import pytest

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person, do_create_record, do_record_encounter
from testimonio.web.cases.models import Encounter, Person, Project, Record, Source
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.linking.actions import do_decide_pair, do_run_linkage
from testimonio.web.linking.models import LinkRun, MatchDecision, ReviewPair
from tests.web.linking.factories import World, make_world, persons_by_truth

pytestmark = pytest.mark.slow


@pytest.fixture
def world(project: Project) -> World:
    return make_world(project, vague=6)


def person_of(record_id: int) -> int | None:
    return Record.objects.get(pk=record_id).person_id


def test_it_merges_each_persons_records_into_one_person(project: Project) -> None:
    world = make_world(project)
    run = do_run_linkage(project, None)
    found = persons_by_truth(world)
    assert all(len(persons) == 1 for persons in found.values())
    assert len({person for persons in found.values() for person in persons}) == len(found)
    assert run.metrics["people_before"] == len(world.records)
    assert run.metrics["people_after"] == len(found) == Person.objects.count()


def test_each_cluster_keeps_its_lowest_pseudonym(project: Project) -> None:
    world = make_world(project)
    before = {
        record.pk: record.person.pseudonym for record in Record.objects.select_related("person")
    }
    lowest: dict[int, str] = {}
    for record_id, truth in world.truth.items():
        lowest[truth] = min(lowest.get(truth, "~"), before[record_id])
    do_run_linkage(project, None)
    for record in Record.objects.select_related("person"):
        assert record.person.pseudonym == lowest[world.truth[record.pk]]


def test_encounters_follow_their_record_and_no_person_with_encounters_is_lost(world: World) -> None:
    first, second = [pk for pk, truth in world.truth.items() if truth == 0][:2]
    moving = Record.objects.get(pk=second)
    reported = do_record_encounter(
        moving.person, None, date="2017-06-02", port="2504-SYS", record=moving
    )
    unreported = do_record_encounter(moving.person, None, date="2017-07")
    do_run_linkage(world.project, None)
    kept = person_of(first)
    assert Encounter.objects.get(pk=reported.pk).person_id == kept
    assert Encounter.objects.get(pk=unreported.pk).person_id == kept  # folded in with its person
    assert Encounter.objects.filter(person__isnull=True).count() == 0


def test_a_person_split_across_clusters_keeps_what_has_no_record(world: World) -> None:
    a = [pk for pk, truth in world.truth.items() if truth == 0][0]
    b = [pk for pk, truth in world.truth.items() if truth == 1][0]
    shared = do_create_person(world.project, None)
    Record.objects.filter(pk__in=[a, b]).update(person=shared)  # a wrong earlier merge
    lone = do_record_encounter(shared, None, date="2018")
    do_run_linkage(world.project, None)
    assert person_of(a) != person_of(b)
    assert Encounter.objects.get(pk=lone.pk).person_id == shared.pk
    assert Person.objects.filter(pk=shared.pk).exists()


def review_pair_for(run: LinkRun, first: int, second: int) -> ReviewPair:
    low, high = sorted((first, second))
    pair, _ = ReviewPair.objects.get_or_create(
        link_run=run, record_a_id=low, record_b_id=high, defaults={"match_probability": 0.6}
    )
    return pair


def test_decisions_are_honoured_by_a_later_run(world: World) -> None:
    run = do_run_linkage(world.project, None)
    alike = [pk for pk, truth in world.truth.items() if truth == 2]
    other = [pk for pk, truth in world.truth.items() if truth == 3][0]
    do_decide_pair(review_pair_for(run, alike[0], alike[1]), "different", None)
    do_decide_pair(review_pair_for(run, alike[0], other), "same", None)
    later = do_run_linkage(world.project, None)
    assert person_of(alike[0]) != person_of(alike[1])
    assert person_of(alike[0]) == person_of(other)
    assert later.metrics["decisions"] == {"same": 1, "different": 1}


def test_a_different_pair_is_not_joined_through_a_chain(world: World) -> None:
    run = do_run_linkage(world.project, None)
    three = [pk for pk, truth in world.truth.items() if truth == 0]
    assert len(three) == 3, "the world gives person 0 three records"
    do_decide_pair(review_pair_for(run, three[0], three[2]), "different", None)
    do_run_linkage(world.project, None)
    assert person_of(three[0]) != person_of(three[2])


def test_uncertain_pairs_are_queued_with_a_waterfall_and_no_values(world: World) -> None:
    canary = IdentityFields("Canarito Yolotli", "Xochiquetzal Cuauhtli", "1991-03-17", "5551234")
    for source in Source.objects.filter(project=world.project):
        do_create_record(
            source, None, identity=canary, person=do_create_person(world.project, None)
        )
    run = do_run_linkage(world.project, None)
    pairs = list(run.review_pairs.all())
    assert pairs and all(0.5 <= pair.match_probability < 0.95 for pair in pairs)
    assert pairs[0].explanation[0]["comparison"] == "prior"
    assert {"comparison", "level", "weight", "bayes_factor"} <= set(pairs[0].explanation[1])
    stored = json.dumps([run.settings, run.metrics, [pair.explanation for pair in pairs]])
    audited = json.dumps([event.details for event in AuditEvent.objects.all()])
    for value in ["canarito", "yolotli", "xochiquetzal", "cuauhtli", "1991", "5551234"]:
        assert value not in stored.lower()
        assert value not in audited.lower()


def test_the_same_seed_gives_the_same_clusters_and_a_run_can_be_repeated(world: World) -> None:
    first = do_run_linkage(world.project, None, seed=11)
    assignment = dict(Record.objects.values_list("pk", "person_id"))
    again = do_run_linkage(world.project, None, seed=11)
    repeated = do_run_linkage(world.project, None, repeat_of=first)
    assert dict(Record.objects.values_list("pk", "person_id")) == assignment
    assert again.metrics["records_moved"] == repeated.metrics["records_moved"] == 0
    assert first.input_hash == again.input_hash
    assert first.settings["seed"] == 11 and "splink_settings" in first.settings
    assert set(first.package_versions) >= {"splink", "duckdb"}


def test_a_later_decision_replaces_an_earlier_one_and_both_are_audited(world: World) -> None:
    run = do_run_linkage(world.project, None)
    pair = run.review_pairs.first()
    assert pair is not None
    do_decide_pair(pair, "unsure", None)
    do_decide_pair(pair, "same", None, note="checked the declaration")
    decision = MatchDecision.objects.get()
    assert decision.decision == "same"
    events = AuditEvent.objects.filter(action="analyses.decision.record").order_by("sequence")
    assert [event.details["replaces"] for event in events] == [None, "unsure"]
    assert events.last().details["note"] is True  # that there is a note, never its text


def test_a_run_keeps_its_clusters_at_the_alternative_thresholds_and_the_snapshot_carries_them(
    world: World,
) -> None:
    from testimonio.web.linking.actions import ALTERNATIVE_THRESHOLDS
    from testimonio.web.snapshots.tables import build_snapshot_tables

    run = do_run_linkage(world.project, None, threshold=0.9)
    kept = run.alternatives
    assert kept["thresholds"] == sorted({*ALTERNATIVE_THRESHOLDS, 0.9})
    own = kept["clusters"][kept["thresholds"].index(0.9)]
    person = dict(Record.objects.filter(project=world.project).values_list("pk", "person_id"))
    # At the run's own threshold, two records share a cluster exactly when they share a person.
    pairs = list(zip(kept["records"], own, strict=True))
    for first, cluster_first in pairs:
        for second, cluster_second in pairs:
            assert (cluster_first == cluster_second) == (person[first] == person[second])
    counts = [len(set(numbers)) for numbers in kept["clusters"]]
    assert counts == sorted(counts)  # a higher threshold only splits clusters
    table = build_snapshot_tables(world.project, evidence=False)["linkage_alternatives"]
    assert set(table["threshold"]) == set(kept["thresholds"])
    assert table.loc[table["own"], "threshold"].unique().tolist() == [0.9]
    assert table["cluster"].str.fullmatch(r"C-\d{8}").all()
    assert AuditEvent.objects.filter(action="analyses.linkage.run").exists()
    assert "alternatives" not in json.dumps(
        AuditEvent.objects.filter(action="analyses.linkage.run").last().details  # type: ignore[union-attr]
    )
