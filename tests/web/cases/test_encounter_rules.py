"""The rules a court relies on, enforced on every write of an encounter or a coding."""

from __future__ import annotations

import pytest

from testimonio.errors import ValidationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_code_encounter, do_record_encounter
from testimonio.web.cases.models import Encounter, Person, Project, Term, VocabularyVersion

pytestmark = pytest.mark.django_db


def test_it_records_an_encounter_with_its_date_precision_and_audits_it(person: Person) -> None:
    encounter = do_record_encounter(person, None, date="2018-06", port="2504-SYS")
    assert (encounter.date_year, encounter.date_month, encounter.date_day) == (2018, 6, None)
    assert encounter.date_precision == "month"
    assert AuditEvent.objects.filter(
        action="cases.encounter.create", object_id=str(encounter.pk)
    ).exists()


def test_it_rejects_a_date_finer_than_its_stated_precision(person: Person) -> None:
    with pytest.raises(ValidationError, match="stated as year") as caught:
        do_record_encounter(person, None, date="2018-06-14", precision="year")
    assert caught.value.column == "date_precision"
    assert not Encounter.objects.exists()


def test_it_rejects_a_day_that_does_not_exist(person: Person) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        do_record_encounter(person, None, date="2018-02-30")


def test_it_rejects_an_unknown_port_code(person: Person) -> None:
    with pytest.raises(ValidationError, match="unknown port code 'XX-NOWHERE'") as caught:
        do_record_encounter(person, None, date="2018", port="XX-NOWHERE")
    assert caught.value.column == "port"
    assert not Encounter.objects.exists()


def test_it_rejects_an_encounter_without_a_person(project: Project) -> None:
    with pytest.raises(ValidationError, match="must belong to a person"):
        do_record_encounter(None, None, date="2018")
    assert not Encounter.objects.exists()


def test_the_model_itself_refuses_an_encounter_without_a_person(project: Project) -> None:
    from django.core.exceptions import ValidationError as DjangoValidationError

    with pytest.raises(DjangoValidationError, match="must belong to a person"):
        Encounter(project=project, date_precision="unknown").full_clean()


def test_it_rejects_an_outcome_that_is_not_an_outcome_code(person: Person) -> None:
    with pytest.raises(ValidationError, match="not a code of the OUT scheme"):
        do_record_encounter(person, None, date="2018", outcome="TAC.DENY")


def test_it_codes_an_encounter_with_a_term_of_the_project_vocabulary(person: Person) -> None:
    encounter = do_record_encounter(person, None, date="2017-05-14", port="2504-SYS")
    coding = do_code_encounter(encounter, "TAC.DENY.CAPACITY", None, evidence="Decl. ¶ 7")
    assert coding.term.code == "TAC.DENY.CAPACITY"
    assert coding.term.version_id == person.project.vocabulary_id


def test_it_rejects_a_code_that_is_not_in_the_vocabulary(person: Person) -> None:
    encounter = do_record_encounter(person, None, date="2017")
    with pytest.raises(ValidationError, match="not a code of this project's vocabulary"):
        do_code_encounter(encounter, "TAC.TELEPORTED", None)


def test_it_rejects_a_term_from_another_vocabulary_version(
    person: Person, vocabulary: VocabularyVersion
) -> None:
    from django.core.exceptions import ValidationError as DjangoValidationError

    from testimonio.web.cases.models import Coding

    other = VocabularyVersion.objects.create(name="other", number=1, title="x", checksum="0" * 64)
    foreign = Term.objects.create(version=other, code="TAC.DENY", label_en="x", label_es="x")
    encounter = do_record_encounter(person, None, date="2017")
    with pytest.raises(DjangoValidationError, match="not in this project's vocabulary version"):
        Coding(encounter=encounter, term=foreign).full_clean()
