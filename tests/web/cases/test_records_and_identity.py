"""Records keep identity apart and sealed; revealing it is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection

from testimonio.errors import ValidationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_record
from testimonio.web.cases.models import Person, Record, RecordIdentity, Source
from testimonio.web.keys.identity import IdentityFields, reveal_identity

pytestmark = pytest.mark.django_db

CANARY = IdentityFields("Canarito Zzyzx", "Pajarolindo Qwerty", "1991-07-04", "+52 664 555 0199")


def test_it_stores_identity_fields_only_as_sealed_bytes(source: Source, person: Person) -> None:
    record = do_create_record(source, None, person=person, identity=CANARY)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, surnames, birth_date, phone FROM cases_recordidentity "
            "WHERE record_id = %s",
            [record.pk],
        )
        stored = cursor.fetchone()
    assert all(value is not None for value in stored)
    joined = b"".join(bytes(value) for value in stored)
    for secret in ("Canarito", "Pajarolindo", "1991-07-04", "555 0199"):
        assert secret.encode() not in joined


def test_it_reveals_identity_to_a_caller_and_records_the_reveal(
    source: Source, person: Person, attorney: User
) -> None:
    record = do_create_record(source, None, person=person, identity=CANARY)
    revealed = reveal_identity(record, attorney, reason="test")
    assert revealed == CANARY
    event = AuditEvent.objects.get(action="cases.identity.reveal")
    assert event.actor_label == "attorney" and event.object_id == str(record.pk)


def test_a_sealed_value_moved_to_another_record_does_not_open(
    source: Source, person: Person
) -> None:
    from testimonio.crypto.sealing import SealedValueError

    first = do_create_record(source, None, identity=CANARY)
    second = do_create_record(source, None, identity=IdentityFields("Otro", "Nombre"))
    moved = RecordIdentity.objects.get(record=first).given_names
    RecordIdentity.objects.filter(record=second).update(given_names=moved)
    with pytest.raises(SealedValueError, match="altered or moved"):
        reveal_identity(Record.objects.get(pk=second.pk), None, reason="test")


def test_the_audit_event_of_a_record_names_fields_not_values(source: Source) -> None:
    record = do_create_record(source, None, identity=CANARY)
    event = AuditEvent.objects.get(action="cases.record.create", object_id=str(record.pk))
    assert "Canarito" not in str(event.details)
    assert event.details["identity_fields"] == ["given_names", "surnames", "birth_date", "phone"]


def test_it_rejects_an_unknown_nationality_code(source: Source) -> None:
    with pytest.raises(ValidationError, match="unknown nationality code 'ZZ'"):
        do_create_record(source, None, attributes={"nationality": "ZZ"})
    assert not Record.objects.exists()


def test_it_rejects_a_malformed_birth_date_without_echoing_it(source: Source) -> None:
    with pytest.raises(ValidationError) as caught:
        do_create_record(source, None, identity=IdentityFields("A", "B", "04/07/1991"))
    assert caught.value.column == "birth_date"
    assert "1991" not in str(caught.value)


def test_it_rejects_a_vulnerability_code_outside_the_vocabulary(source: Source) -> None:
    with pytest.raises(ValidationError, match="VUL.INVENTED"):
        do_create_record(source, None, vulnerabilities=["VUL.INVENTED"])


def test_it_gives_persons_consecutive_pseudonyms(project) -> None:  # type: ignore[no-untyped-def]
    from testimonio.web.cases.actions import do_create_person

    pseudonyms = [do_create_person(project, None).pseudonym for _ in range(3)]
    assert pseudonyms == ["P-000001", "P-000002", "P-000003"]
