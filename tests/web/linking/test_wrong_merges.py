"""Wrong merges are visible (flagged, in words, no values) and fixable (a split that lasts)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_record, do_split_person
from testimonio.web.cases.models import Person, Project, Record, Source
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.linking.actions import do_run_linkage
from testimonio.web.linking.models import LinkRun, MatchDecision, ReviewPair
from tests.web.clients import signed_in
from tests.web.linking.factories import make_world

pytestmark = pytest.mark.django_db

MOTHER = IdentityFields("Canarito Yolotli", "Xochiquetzal Cuauhtli", "1986-04-02")
DAUGHTER = IdentityFields("Canarito Yolotli", "Xochiquetzal Cuauhtli", "2015-09-30")
BIRTH_YEARS = b"birth years more than 10 years apart"


def mother_and_daughter(project: Project) -> tuple[Record, Record]:
    """Records of a mother and her daughter with the same names, on two lists, that a
    reviewer wrongly decided are the same person (so linkage merges them)."""
    make_world(project, people=10)
    survey, intake = Source.objects.filter(project=project).order_by("pk")
    mother = do_create_record(survey, None, identity=MOTHER, attributes={"sex": "female"})
    daughter = do_create_record(intake, None, identity=DAUGHTER, attributes={"sex": "female"})
    MatchDecision.objects.create(
        project=project, record_a=mother, record_b=daughter, decision="same"
    )
    return mother, daughter


def person_of(record: Record) -> Person:
    person = Record.objects.get(pk=record.pk).person
    assert person is not None
    return person


@pytest.mark.slow
def test_a_run_flags_a_merged_mother_and_daughter_and_a_split_outlasts_later_runs(
    project: Project, attorney: User
) -> None:
    mother, daughter = mother_and_daughter(project)
    run = do_run_linkage(project, None)
    merged = person_of(mother)
    assert person_of(daughter) == merged
    assert merged.disagreements == ["birth_years_apart"]
    assert run.metrics["flagged_persons"] >= 1
    do_split_person(merged, [[daughter.pk]], attorney, "birth_years_apart")
    for _ in range(2):
        later = do_run_linkage(project, None)
        assert person_of(mother) != person_of(daughter)
        assert person_of(mother).disagreements == []
        assert later.metrics["cannot_link_pairs"] == 1
        assert later.metrics["contradicting_decisions"] == 1  # the wrong "same" is overruled


@pytest.mark.slow
def test_flags_and_their_audit_carry_codes_never_values(project: Project) -> None:
    mother, _ = mother_and_daughter(project)
    do_run_linkage(project, None)
    stored = json.dumps(list(Person.objects.values_list("disagreements", flat=True)))
    audited = json.dumps([event.details for event in AuditEvent.objects.all()])
    for value in ("canarito", "xochiquetzal", "1986", "2015"):
        assert value not in stored.lower() and value not in audited.lower()
    event = AuditEvent.objects.filter(action="cases.persons.flag").last()
    assert event is not None and event.details["by_reason"]["birth_years_apart"] >= 1
    assert person_of(mother).pseudonym in {
        person.pseudonym for person in Person.objects.exclude(disagreements=[])
    }


def test_the_review_queue_shows_flagged_persons_and_pair_reasons_in_words(
    project: Project, source: Source, analyst: User
) -> None:
    first = do_create_record(source, None, identity=MOTHER)
    second = do_create_record(source, None, identity=DAUGHTER)
    person = Person.objects.create(
        project=project, pseudonym="P-000657", disagreements=["birth_years_apart"]
    )
    Record.objects.filter(pk__in=[first.pk, second.pk]).update(person=person)
    run = LinkRun.objects.create(project=project, input_hash="0" * 64, threshold=0.9)
    pair = ReviewPair.objects.create(
        link_run=run,
        record_a=first,
        record_b=second,
        match_probability=0.7,
        disagreements=["birth_years_apart", "same_source_twice"],
    )
    client = signed_in(analyst)
    queue = client.get(f"/p/{project.slug}/linkage/review/").content
    assert b"P-000657" in queue and BIRTH_YEARS in queue
    assert b"one source list holds two of the records, with different birth years" in queue
    shown = client.get(f"/p/{project.slug}/linkage/review/{pair.pk}/").content
    assert BIRTH_YEARS in shown
    for page in (queue, shown):
        assert b"Canarito" not in page and b"1986" not in page and b"2015" not in page
