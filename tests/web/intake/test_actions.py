"""The intake's write: whole or nothing, sealed, audited, and never twice."""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth.models import User

from testimonio.errors import ValidationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_project
from testimonio.web.cases.models import Coding, Encounter, Person, Project, Record, Source
from testimonio.web.intake.actions import WEB_INTAKE_SOURCE, do_record_testimony
from testimonio.web.intake.models import Companion, Intake
from testimonio.web.keys.identity import open_identity
from tests.web.intake.testimonies import database_text, leaked, sample_testimony

pytestmark = pytest.mark.django_db


def test_a_testimony_saves_the_person_family_and_encounters_with_their_codings(
    project: Project, intake_officer: User
) -> None:
    intake = do_record_testimony(project, sample_testimony(), intake_officer)
    companion = Companion.objects.get(intake=intake)
    encounters = Encounter.objects.filter(person=intake.person).order_by("attempt_number")
    assert intake.interviewer == intake_officer
    assert companion.relationship == "child" and companion.person != intake.person
    assert [e.date.isoformat() for e in encounters] == ["2018-11", "2018-12-03"]
    assert [e.port.code for e in encounters if e.port] == ["2504-SYS", "2504-PEDW"]
    assert {e.companions for e in encounters} == {1}
    codes = set(Coding.objects.filter(encounter=encounters[0]).values_list("term__code", flat=True))
    assert codes == {"TAC.DENY.CAPACITY", "FEAR.MODE.ASKED_ASYLUM"}
    assert intake.record.nationality is not None and intake.record.nationality.code == "HN"
    assert intake.record.vulnerabilities == ["VUL.FAMILY_WITH_CHILDREN"]
    assert open_identity(intake.record).given_names == "Rosalba"


def test_every_identity_is_sealed_no_name_or_phone_in_any_table(
    project: Project, intake_officer: User
) -> None:
    do_record_testimony(project, sample_testimony(), intake_officer)
    assert leaked(database_text()) == []


def test_the_save_is_audited_by_pseudonym_and_counts_only(
    project: Project, intake_officer: User
) -> None:
    intake = do_record_testimony(project, sample_testimony(), intake_officer)
    event = AuditEvent.objects.get(action="intake.testimony.create")
    companion = Companion.objects.get(intake=intake)
    assert event.actor_id == intake_officer.pk and event.project_id == project.pk
    assert event.details == {
        "person": intake.person.pseudonym,
        "same_person": False,
        "family": [companion.person.pseudonym],
        "encounters": 2,
        "turned_back_together": [],
    }
    assert AuditEvent.objects.filter(action="cases.record.create").count() == 2


def test_a_family_member_turned_back_with_them_gets_each_encounter_as_their_own(
    project: Project, intake_officer: User
) -> None:
    testimony = sample_testimony()
    child = dataclasses.replace(testimony.family[0], shared_encounters=True)
    intake = do_record_testimony(
        project, dataclasses.replace(testimony, family=(child,)), intake_officer
    )
    companion = Companion.objects.get(intake=intake)
    theirs = Encounter.objects.filter(person=companion.person).order_by("attempt_number")
    assert [e.date.isoformat() for e in theirs] == ["2018-11", "2018-12-03"]
    assert {e.record_id for e in theirs} == {companion.record_id}
    assert {e.companions for e in theirs} == {1}
    codes = set(Coding.objects.filter(encounter=theirs[0]).values_list("term__code", flat=True))
    assert codes == {"TAC.DENY.CAPACITY", "FEAR.MODE.ASKED_ASYLUM"}
    assert Encounter.objects.filter(person=intake.person).count() == 2
    event = AuditEvent.objects.get(action="intake.testimony.create")
    assert event.details["turned_back_together"] == [companion.person.pseudonym]


def test_a_family_member_not_ticked_gets_no_encounter(
    project: Project, intake_officer: User
) -> None:
    intake = do_record_testimony(project, sample_testimony(), intake_officer)
    companion = Companion.objects.get(intake=intake)
    assert not Encounter.objects.filter(person=companion.person).exists()


def test_the_web_intake_source_is_created_once(project: Project, intake_officer: User) -> None:
    do_record_testimony(project, sample_testimony(), intake_officer)
    do_record_testimony(project, sample_testimony(), intake_officer)
    source = Source.objects.get(project=project, name=WEB_INTAKE_SOURCE)
    assert source.kind == "intake_log"
    assert (
        AuditEvent.objects.filter(action="cases.source.create", project_id=project.pk).count() == 1
    )
    assert Record.objects.filter(source=source).count() == 4


def test_a_second_submit_of_the_same_page_saves_nothing_more(
    project: Project, intake_officer: User
) -> None:
    once = sample_testimony()
    first = do_record_testimony(project, once, intake_officer)
    second = do_record_testimony(project, once, intake_officer)
    assert first == second
    assert Person.objects.filter(project=project).count() == 2  # the person and the child
    assert Intake.objects.count() == 1


def test_an_unknown_port_in_the_last_encounter_leaves_nothing_half_written(
    project: Project, intake_officer: User
) -> None:
    good = sample_testimony()
    bad = dataclasses.replace(good.encounters[1], port="9999-NOPE")
    with pytest.raises(ValidationError, match="port"):
        do_record_testimony(
            project, sample_testimony(encounters=(good.encounters[0], bad)), intake_officer
        )
    assert not Person.objects.exists() and not Record.objects.exists()
    assert not Encounter.objects.exists() and not Intake.objects.exists()
    assert not Source.objects.filter(name=WEB_INTAKE_SOURCE).exists()
    assert not AuditEvent.objects.filter(action__startswith="intake.").exists()


def test_a_testimony_without_encounters_is_refused(project: Project, intake_officer: User) -> None:
    with pytest.raises(ValidationError, match="at least one encounter"):
        do_record_testimony(project, sample_testimony(encounters=()), intake_officer)


def test_same_person_attaches_the_new_record_to_the_existing_person(
    project: Project, intake_officer: User
) -> None:
    first = do_record_testimony(project, sample_testimony(family=()), intake_officer)
    again = sample_testimony(family=())
    again = dataclasses.replace(
        again, person=dataclasses.replace(again.person, same_as=first.person)
    )
    second = do_record_testimony(project, again, intake_officer)
    assert second.person == first.person
    assert Record.objects.filter(person=first.person).count() == 2
    event = AuditEvent.objects.filter(action="intake.testimony.create").last()
    assert event is not None and event.details["same_person"]


def test_a_person_of_another_project_cannot_be_the_same_person(
    project: Project, intake_officer: User
) -> None:
    other = do_create_project("Other", project.vocabulary, None, slug="other")
    elsewhere = do_record_testimony(other, sample_testimony(family=()), intake_officer)
    again = sample_testimony(family=())
    again = dataclasses.replace(
        again, person=dataclasses.replace(again.person, same_as=elsewhere.person)
    )
    with pytest.raises(ValidationError, match="another project"):
        do_record_testimony(project, again, intake_officer)
    assert not Intake.objects.filter(project=project).exists()
