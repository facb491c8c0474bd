"""Splitting a wrongly merged person: records, encounters and codings move; audited; no values."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User

from testimonio.errors import ValidationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import (
    do_code_encounter,
    do_create_person,
    do_create_record,
    do_create_source,
    do_record_encounter,
    do_split_person,
)
from testimonio.web.cases.models import CannotLink, Coding, Encounter, Person, Project, Record
from testimonio.web.keys.identity import IdentityFields
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db

MOTHER = IdentityFields("Canarito Yolotli", "Xochiquetzal Cuauhtli", "1986-04-02")
DAUGHTER = IdentityFields("Canarito Yolotli", "Xochiquetzal Cuauhtli", "2015-09-30")


@pytest.fixture
def merged(project: Project) -> tuple[Person, Record, Record, Record]:
    """P-000001: a mother's two records and her daughter's one, wrongly merged."""
    shelter = do_create_source(project, "Shelter survey", None, kind="survey")
    intake = do_create_source(project, "Legal-aid intake", None, kind="intake_log")
    person = do_create_person(project, None)
    mother = do_create_record(shelter, None, person=person, identity=MOTHER)
    mother_again = do_create_record(intake, None, person=person, identity=MOTHER)
    daughter = do_create_record(intake, None, person=person, identity=DAUGHTER)
    return person, mother, mother_again, daughter


def test_the_split_off_records_get_a_new_pseudonym_and_their_encounters(
    merged: tuple[Person, Record, Record, Record], attorney: User
) -> None:
    person, mother, mother_again, daughter = merged
    hers = do_record_encounter(person, None, date="2017-06-02", port="2504-SYS", record=daughter)
    coding = do_code_encounter(hers, "TAC.DENY.CAPACITY", None)
    unreported = do_record_encounter(person, None, date="2017-07")
    [new] = do_split_person(person, [[daughter.pk]], attorney, "birth_years_apart")
    assert new.pseudonym != person.pseudonym and new.pseudonym.startswith("P-")
    assert set(Record.objects.filter(person=person)) == {mother, mother_again}
    assert list(Record.objects.filter(person=new)) == [daughter]
    assert Encounter.objects.get(pk=hers.pk).person_id == new.pk
    assert Coding.objects.get(pk=coding.pk).encounter.person_id == new.pk
    assert Encounter.objects.get(pk=unreported.pk).person_id == person.pk  # no record: stays


def test_a_split_stores_cannot_link_pairs_and_is_audited_without_values(
    merged: tuple[Person, Record, Record, Record], attorney: User
) -> None:
    person, mother, mother_again, daughter = merged
    [new] = do_split_person(person, [[daughter.pk]], attorney, "birth_years_apart")
    pairs = set(CannotLink.objects.values_list("record_a", "record_b"))
    assert pairs == {(mother.pk, daughter.pk), (mother_again.pk, daughter.pk)}
    event = AuditEvent.objects.get(action="cases.person.split")
    assert event.details["into"] == [new.pseudonym]
    assert event.details["reason"] == "birth_years_apart"
    assert event.actor_id == attorney.pk
    text = json.dumps(event.details)
    assert "Canarito" not in text and "1986" not in text and "2015" not in text


def test_a_split_clears_the_flag_of_persons_that_now_agree(
    merged: tuple[Person, Record, Record, Record], attorney: User
) -> None:
    person, _, _, daughter = merged
    Person.objects.filter(pk=person.pk).update(disagreements=["birth_years_apart"])
    [new] = do_split_person(person, [[daughter.pk]], attorney, "birth_years_apart")
    assert Person.objects.get(pk=person.pk).disagreements == []
    assert Person.objects.get(pk=new.pk).disagreements == []


def test_every_record_in_a_group_keeps_the_first_group_with_the_person(
    merged: tuple[Person, Record, Record, Record], attorney: User
) -> None:
    person, mother, mother_again, daughter = merged
    groups = [[mother.pk, mother_again.pk], [daughter.pk]]
    [new] = do_split_person(person, groups, attorney, "different_people")
    assert Record.objects.get(pk=mother.pk).person_id == person.pk
    assert Record.objects.get(pk=daughter.pk).person_id == new.pk


@pytest.mark.parametrize(
    "groups",
    [[], [[]], "all", "foreign", "twice"],
    ids=["no group", "empty group", "everything in one group", "another's record", "twice"],
)
def test_a_split_that_makes_no_sense_is_refused_and_changes_nothing(
    merged: tuple[Person, Record, Record, Record], attorney: User, project: Project, groups: object
) -> None:
    person, mother, mother_again, daughter = merged
    if groups == "all":
        groups = [[mother.pk, mother_again.pk, daughter.pk]]
    elif groups == "foreign":
        other = do_create_record(mother.source, None, person=do_create_person(project, None))
        groups = [[other.pk]]
    elif groups == "twice":
        groups = [[daughter.pk], [daughter.pk]]
    with pytest.raises(ValidationError):
        do_split_person(person, groups, attorney, "different_people")  # type: ignore[arg-type]
    assert Record.objects.filter(person=person).count() == 3
    assert not CannotLink.objects.exists()


def test_a_reason_outside_the_list_is_refused(
    merged: tuple[Person, Record, Record, Record], attorney: User
) -> None:
    person, _, _, daughter = merged
    with pytest.raises(ValidationError, match="reason"):
        do_split_person(person, [[daughter.pk]], attorney, "Canarito is her mother")


def test_an_attorney_splits_from_the_page(
    merged: tuple[Person, Record, Record, Record], attorney: User, project: Project
) -> None:
    person, _, _, daughter = merged
    Person.objects.filter(pk=person.pk).update(disagreements=["birth_years_apart"])
    client = signed_in(attorney)
    page = client.get(f"/p/{project.slug}/people/{person.pseudonym}/")
    assert b"birth years more than 10 years apart" in page.content
    assert b"/split/" in page.content and b"Canarito" not in page.content
    split_url = f"/p/{project.slug}/people/{person.pseudonym}/split/"
    form = client.get(split_url)
    assert form.status_code == 200 and b"Canarito" not in form.content
    response = client.post(
        split_url, {f"record_{daughter.pk}": "1", "reason": "birth_years_apart"}, follow=True
    )
    assert response.status_code == 200
    new = Record.objects.get(pk=daughter.pk).person
    assert new != person and new.pseudonym.encode() in response.content


def test_an_analyst_sees_the_flag_in_words_but_may_not_split(
    merged: tuple[Person, Record, Record, Record], analyst: User, project: Project
) -> None:
    person = merged[0]
    Person.objects.filter(pk=person.pk).update(disagreements=["birth_years_apart"])
    client = signed_in(analyst)
    page = client.get(f"/p/{project.slug}/people/{person.pseudonym}/")
    assert b"birth years more than 10 years apart" in page.content
    assert b"/split/" not in page.content
    split_url = f"/p/{project.slug}/people/{person.pseudonym}/split/"
    assert client.get(split_url).status_code == 404
