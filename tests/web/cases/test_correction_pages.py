"""The correction pages: who may open them, what they show, what a bad answer says."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_record, do_record_encounter
from testimonio.web.cases.models import Encounter, Person, Record, Source
from testimonio.web.keys.identity import IdentityFields, open_identity
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db

OLD = IdentityFields("Canarito", "Pajarolindo", "1991-07-04", "555-0199")


def record_of(source: Source, person: Person) -> Record:
    return do_create_record(source, None, person=person, identity=OLD, attributes={"sex": "female"})


def record_url(person: Person, record: Record) -> str:
    return f"/p/{person.project.slug}/people/{person.pseudonym}/records/{record.pk}/correct/"


def encounter_url(person: Person, encounter: Encounter) -> str:
    return f"/p/{person.project.slug}/people/{person.pseudonym}/encounters/{encounter.pk}/correct/"


def record_post(**changes: str) -> dict[str, str]:
    data = {
        "person-given_names": "Canarito",
        "person-surnames": "Pajarolindo",
        "person-birth_year": "1991",
        "person-birth_month": "7",
        "person-birth_day": "4",
        "person-sex": "female",
        "person-gender_identity": "unknown",
        "person-age_band": "unknown",
        "person-nationality": "",
        "person-language": "",
        "person-phone": "555-0199",
        "person-identity_document": "",
        "person-reason": "typing_error",
    }
    data.update(changes)
    return data


def test_the_person_page_links_each_record_and_encounter_to_its_correction_page(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = record_of(source, person)
    encounter = do_record_encounter(person, None, date="2018-11", port="2504-SYS")
    page = signed_in(intake_officer).get(f"/p/{person.project.slug}/people/{person.pseudonym}/")
    text = page.content.decode()
    assert record_url(person, record) in text and encounter_url(person, encounter) in text


def test_an_intake_officer_corrects_a_surname_with_a_reason(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = record_of(source, person)
    client = signed_in(intake_officer)
    form = client.get(record_url(person, record)).content.decode()
    assert 'value="Pajarolindo"' in form  # opened for the form: an audited reveal
    assert AuditEvent.objects.filter(action="cases.identity.reveal", details__reason="correction")
    response = client.post(record_url(person, record), record_post(**{"person-surnames": "Mirlo"}))
    assert response.status_code == 302
    assert open_identity(record).surnames == "Mirlo"
    assert AuditEvent.objects.get(action="cases.record.correct").details["fields"] == ["surnames"]


def test_a_correction_without_a_reason_is_refused_in_spanish_and_saves_nothing(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = record_of(source, person)
    data = record_post(**{"person-surnames": "Mirlo", "person-reason": ""})
    response = signed_in(intake_officer).post(
        record_url(person, record), data, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 200
    assert "Este campo es obligatorio" in response.content.decode()
    assert open_identity(record).surnames == "Pajarolindo"


def test_an_impossible_birth_date_is_named_on_its_field(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = record_of(source, person)
    data = record_post(**{"person-birth_month": "2", "person-birth_day": "30"})
    page = signed_in(intake_officer).post(record_url(person, record), data).content.decode()
    assert "This day does not exist in that month." in page
    assert open_identity(record).birth_date == "1991-07-04"


def test_posting_the_same_values_says_nothing_was_changed(
    source: Source, person: Person, intake_officer: User
) -> None:
    record = record_of(source, person)
    page = signed_in(intake_officer).post(record_url(person, record), record_post()).content
    assert "Nothing was changed" in page.decode()
    assert not AuditEvent.objects.filter(action="cases.record.correct").exists()


def test_an_encounter_is_corrected_from_its_page(person: Person, intake_officer: User) -> None:
    encounter = do_record_encounter(person, None, date="2018-11", port="2504-SYS")
    client = signed_in(intake_officer)
    assert 'value="2018"' in client.get(encounter_url(person, encounter)).content.decode()
    data = {
        "encounter-date_year": "2018",
        "encounter-date_month": "12",
        "encounter-date_day": "",
        "encounter-port": "2504-PEDW",
        "encounter-attempt_number": "2",
        "encounter-fear_expressed": "yes",
        "encounter-outcome": "OUT.TURNED_BACK",
        "encounter-reason": "new_information",
    }
    assert client.post(encounter_url(person, encounter), data).status_code == 302
    stored = Encounter.objects.get(pk=encounter.pk)
    assert stored.date.isoformat() == "2018-12" and stored.port.code == "2504-PEDW"
    assert stored.outcome is not None and stored.outcome.code == "OUT.TURNED_BACK"


def test_a_forged_port_is_refused_on_the_encounter_page(
    person: Person, intake_officer: User
) -> None:
    encounter = do_record_encounter(person, None, date="2018-11", port="2504-SYS")
    data = {
        "encounter-date_year": "2018",
        "encounter-port": "9999-NOPE",
        "encounter-fear_expressed": "yes",
        "encounter-reason": "typing_error",
    }
    response = signed_in(intake_officer).post(
        encounter_url(person, encounter), data, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "Escoja una opción válida" in response.content.decode()
    assert Encounter.objects.get(pk=encounter.pk).port.code == "2504-SYS"


@pytest.mark.parametrize("role", ["analyst", "outsider"])
def test_analysts_and_outsiders_get_404(
    role: str, source: Source, person: Person, request: pytest.FixtureRequest
) -> None:
    record = record_of(source, person)
    client = signed_in(request.getfixturevalue(role))
    assert client.get(record_url(person, record)).status_code == 404
    assert client.post(record_url(person, record), record_post()).status_code == 404
    assert not AuditEvent.objects.filter(action="cases.record.correct").exists()
