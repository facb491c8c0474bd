"""Correcting a record or an encounter: the change, its audit event, the sealed previous value."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.crypto.sealing import SealedValueError
from testimonio.errors import ValidationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import (
    do_correct_encounter,
    do_correct_record,
    do_create_record,
    do_erase_person,
    do_record_encounter,
)
from testimonio.web.cases.actions.corrections import open_previous_values
from testimonio.web.cases.models import Encounter, Person, Record, Source
from testimonio.web.intake.lookup import Lookup, matching_persons
from testimonio.web.keys.identity import IdentityFields, open_identity
from testimonio.web.keys.ring import ErasedError
from tests.web.intake.testimonies import database_text

pytestmark = pytest.mark.django_db

OLD = IdentityFields("Canarito", "Pajarolindo Zzyzx", "1991-07-04", "+52 664 555 0199")


def make_record(source: Source, person: Person) -> Record:
    return do_create_record(
        source, None, person=person, identity=OLD, attributes={"nationality": "HN"}
    )


def test_a_corrected_surname_is_sealed_and_found_by_lookup_instead_of_the_old_one(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = make_record(source, person)
    changed = do_correct_record(
        record, {"surnames": "Mirlo Qwerty"}, intake_officer, "typing_error"
    )
    assert changed == ["surnames"]
    assert open_identity(record).surnames == "Mirlo Qwerty"
    assert open_identity(record).given_names == "Canarito"  # the rest is kept
    project = source.project
    assert matching_persons(project, Lookup(surnames="Mirlo Qwerty", birth_year="1991")) == [person]
    assert matching_persons(project, Lookup(surnames="Pajarolindo Zzyzx", birth_year="1991")) == []


def test_a_corrected_birth_date_moves_its_blind_indexes(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = make_record(source, person)
    do_correct_record(record, {"birth_date": "1992-07-04"}, intake_officer, "new_information")
    project = source.project
    assert matching_persons(project, Lookup(birth_date="1992-07-04")) == [person]
    assert matching_persons(project, Lookup(birth_date="1991-07-04")) == []
    assert matching_persons(project, Lookup(surnames="Pajarolindo Zzyzx", birth_year="1992"))


def test_the_audit_event_names_fields_and_reason_and_seals_the_previous_values(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = make_record(source, person)
    changes = {"surnames": "Mirlo Qwerty", "phone": "+52 664 555 0100", "nationality": "GT"}
    do_correct_record(record, changes, intake_officer, "typing_error")
    event = AuditEvent.objects.get(action="cases.record.correct")
    assert event.object_id == str(record.pk)
    assert event.details["fields"] == ["nationality", "phone", "surnames"]
    assert event.details["reason"] == "typing_error"
    previous = open_previous_values(event)
    assert previous == {
        "surnames": "Pajarolindo Zzyzx",
        "phone": "+52 664 555 0199",
        "nationality": "HN",
    }
    assert Record.objects.get(pk=record.pk).nationality.code == "GT"


def test_no_identity_value_old_or_new_is_in_clear_in_the_audit_table_or_anywhere(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = make_record(source, person)
    do_correct_record(record, {"surnames": "Mirlo Qwerty"}, intake_officer, "typing_error")
    audit = repr(list(AuditEvent.objects.values_list("details", flat=True)))
    everything = database_text()
    for secret in ("Pajarolindo", "Zzyzx", "Mirlo", "Qwerty", "Canarito", "555 0199"):
        assert secret not in audit
        assert secret not in everything


def test_erasing_the_person_makes_the_previous_values_unreadable(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = make_record(source, person)
    do_correct_record(record, {"surnames": "Mirlo Qwerty"}, intake_officer, "typing_error")
    do_erase_person(person, None, reason="the person asked")
    event = AuditEvent.objects.get(action="cases.record.correct")
    with pytest.raises((ErasedError, SealedValueError)):
        open_previous_values(event)


def test_a_correction_without_a_known_reason_or_without_a_change_writes_nothing(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = make_record(source, person)
    with pytest.raises(ValidationError, match="reason"):
        do_correct_record(record, {"surnames": "Mirlo"}, intake_officer, "")
    with pytest.raises(ValidationError, match="nothing to correct"):
        do_correct_record(record, {"surnames": "Pajarolindo Zzyzx"}, intake_officer, "typing_error")
    with pytest.raises(ValidationError, match="birth_date"):
        do_correct_record(record, {"birth_date": "2019-02-30"}, intake_officer, "typing_error")
    with pytest.raises(ValidationError, match="cannot be corrected"):
        do_correct_record(record, {"provenance": "x"}, intake_officer, "typing_error")
    assert open_identity(record) == OLD
    assert not AuditEvent.objects.filter(action="cases.record.correct").exists()


def test_an_encounter_is_corrected_at_the_precision_given(
    source: Source, person: Person, intake_officer: User
) -> None:
    encounter = do_record_encounter(
        person, None, date="2018-11-03", port="2504-SYS", attempt_number=1
    )
    changes = {
        "date": "2018-12",
        "port": "2504-PEDW",
        "attempt_number": "2",
        "fear_expressed": "yes",
    }
    changed = do_correct_encounter(encounter, changes, intake_officer, "new_information")
    assert changed == ["attempt_number", "date", "fear_expressed", "port"]
    stored = Encounter.objects.get(pk=encounter.pk)
    assert (stored.date_year, stored.date_month, stored.date_day) == (2018, 12, None)
    assert stored.date_precision == "month"
    assert stored.port.code == "2504-PEDW" and stored.attempt_number == 2
    event = AuditEvent.objects.get(action="cases.encounter.correct")
    assert open_previous_values(event) == {
        "date": "2018-11-03",
        "port": "2504-SYS",
        "attempt_number": "1",
        "fear_expressed": "unknown",
    }


def test_an_encounter_correction_to_an_unknown_port_or_outcome_changes_nothing(
    person: Person, intake_officer: User
) -> None:
    encounter = do_record_encounter(person, None, date="2018-11", port="2504-SYS")
    with pytest.raises(ValidationError, match="port"):
        do_correct_encounter(encounter, {"port": "9999-NOPE"}, intake_officer, "typing_error")
    with pytest.raises(ValidationError, match="vocabulary"):
        do_correct_encounter(encounter, {"outcome": "TAC.NOPE"}, intake_officer, "typing_error")
    stored = Encounter.objects.get(pk=encounter.pk)
    assert stored.port.code == "2504-SYS" and stored.outcome is None
    assert not AuditEvent.objects.filter(action="cases.encounter.correct").exists()
