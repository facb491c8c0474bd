"""The intake page: who may use it, what a volunteer sees, and errors field by field."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.web.cases.actions import do_create_person, do_create_record
from testimonio.web.cases.models import Person, Project, Record, Source
from testimonio.web.intake.models import Companion, Intake
from testimonio.web.keys.identity import IdentityFields
from tests.web.clients import signed_in
from tests.web.intake.testimonies import form_post, leaked

pytestmark = pytest.mark.django_db


def url(project: Project, page: str = "new/") -> str:
    return f"/p/{project.slug}/intake/{page}"


def test_a_volunteer_records_a_testimony_and_sees_its_pseudonym(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    response = client.post(url(project), form_post())
    intake = Intake.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(project, f"{intake.uuid}/")
    page = client.get(response["Location"]).content.decode()
    assert intake.person.pseudonym in page
    assert Companion.objects.get(intake=intake).person.pseudonym in page
    assert leaked(page) == []


def test_the_form_shows_each_tactic_with_its_definition(
    project: Project, intake_officer: User
) -> None:
    page = signed_in(intake_officer).get(url(project)).content.decode()
    assert 'value="TAC.DENY.CAPACITY"' in page
    assert "regardless of actual capacity" in page  # the term's definition
    assert '<label for="id_person-given_names"' in page


def test_a_spanish_page_shows_each_tactic_with_its_spanish_definition(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    page = client.get(url(project), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "con independencia de la capacidad real" in page
    assert "regardless of actual capacity" not in page
    assert '<p class="definition" lang="es">' in page


@pytest.mark.parametrize("role", ["analyst", "outsider"])
def test_analysts_and_outsiders_get_404(role: str, request: pytest.FixtureRequest) -> None:
    project: Project = request.getfixturevalue("project")
    user: User = request.getfixturevalue(role)
    client = signed_in(user)
    assert client.get(url(project)).status_code == 404
    assert client.post(url(project), form_post()).status_code == 404
    assert not Intake.objects.exists()


def test_an_impossible_date_is_named_on_its_field_and_nothing_is_saved(
    project: Project, intake_officer: User
) -> None:
    data = form_post(
        **{"encounter-0-date_month": "2", "encounter-0-date_day": "30", "person-given_names": ""}
    )
    data["person-surnames"] = ""
    response = signed_in(intake_officer).post(url(project), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This day does not exist in that month." in page
    assert 'href="#id_encounter-0-date_day"' in page
    assert "Enter a name (or initials) for this person." in page
    assert not Person.objects.exists() and not Record.objects.exists()


def test_a_day_without_its_month_and_a_missing_year_are_refused(
    project: Project, intake_officer: User
) -> None:
    data = form_post(**{"encounter-0-date_month": "", "encounter-0-date_day": "4"})
    data["family-0-birth_year"] = ""
    data["family-0-birth_month"] = "3"
    page = signed_in(intake_officer).post(url(project), data).content.decode()
    assert "A day needs its month" in page
    assert "A month needs its year" in page
    assert not Intake.objects.exists()


def test_a_port_not_in_the_reference_ports_is_refused(
    project: Project, intake_officer: User
) -> None:
    data = form_post(**{"encounter-0-port": "9999-NOPE"})
    page = signed_in(intake_officer).post(url(project), data).content.decode()
    assert "Select a valid choice" in page and not Intake.objects.exists()


def test_a_family_member_without_relationship_is_refused(
    project: Project, intake_officer: User
) -> None:
    data = form_post(**{"family-0-relationship": ""})
    page = signed_in(intake_officer).post(url(project), data).content.decode()
    assert "Family member 1, Relationship to the person" in page
    assert not Intake.objects.exists()


def test_an_empty_family_member_is_skipped(project: Project, intake_officer: User) -> None:
    data = form_post()  # what a browser sends for the untouched member: the selects' defaults
    for name in [key for key in data if key.startswith("family-0-")]:
        data[name] = ""
    data.update({f"family-0-{name}": "unknown" for name in ("sex", "gender_identity", "age_band")})
    response = signed_in(intake_officer).post(url(project), data)
    assert response.status_code == 302
    assert not Companion.objects.exists()


def test_add_another_encounter_shows_one_more_form_and_saves_nothing(
    project: Project, intake_officer: User
) -> None:
    data = form_post(add_encounter="1")
    del data["save"]
    page = signed_in(intake_officer).post(url(project), data).content.decode()
    assert 'name="encounter-1-date_year"' in page
    assert 'value="Rosalba"' in page  # what was typed is kept
    assert not Intake.objects.exists()


def test_two_encounters_are_saved(project: Project, intake_officer: User) -> None:
    data = form_post(
        **{
            "encounter-TOTAL_FORMS": "2",
            "encounter-1-date_year": "2019",
            "encounter-1-port": "2504-PEDW",
            "encounter-1-fear_expressed": "no",
        }
    )
    assert signed_in(intake_officer).post(url(project), data).status_code == 302
    assert Intake.objects.get().person.encounters.count() == 2


def test_a_double_submit_saves_once(project: Project, intake_officer: User) -> None:
    client = signed_in(intake_officer)
    first = client.post(url(project), form_post())
    second = client.post(url(project), form_post())
    assert first["Location"] == second["Location"]
    assert Intake.objects.count() == 1


def test_a_possible_duplicate_is_shown_by_pseudonym_and_can_be_the_same_person(
    project: Project, source: Source, intake_officer: User
) -> None:
    known = do_create_person(project, None)
    do_create_record(
        source,
        None,
        person=known,
        identity=IdentityFields("Rosalba", "Quintero", birth_date="1990-04-02"),
    )
    client = signed_in(intake_officer)
    asking = client.post(url(project), form_post())
    page = asking.content.decode()
    assert asking.status_code == 200 and "Possible duplicates" in page and known.pseudonym in page
    assert "This field is required" not in page  # asked, not yet answered
    assert not Intake.objects.exists()
    saved = client.post(url(project), form_post(same_as=known.pseudonym))
    assert saved.status_code == 302
    assert Intake.objects.get().person == known
    assert Record.objects.filter(person=known).count() == 2


def test_a_possible_duplicate_can_be_a_new_person(
    project: Project, source: Source, intake_officer: User
) -> None:
    known = do_create_person(project, None)
    do_create_record(source, None, person=known, identity=IdentityFields(phone="555-0142"))
    response = signed_in(intake_officer).post(url(project), form_post(same_as="new"))
    assert response.status_code == 302
    assert Intake.objects.get().person != known


def test_the_confirmation_of_another_project_is_404(
    project: Project, intake_officer: User, outsider: User
) -> None:
    signed_in(intake_officer).post(url(project), form_post())
    intake = Intake.objects.get()
    assert signed_in(outsider).get(url(project, f"{intake.uuid}/")).status_code == 404


def test_the_turned_back_with_them_tick_records_the_family_members_encounters(
    project: Project, intake_officer: User
) -> None:
    from testimonio.web.cases.models import Encounter

    client = signed_in(intake_officer)
    assert 'name="family-0-shared_encounters"' in client.get(url(project)).content.decode()
    client.post(url(project), form_post(**{"family-0-shared_encounters": "on"}))
    companion = Companion.objects.get()
    assert Encounter.objects.filter(person=companion.person).count() == 1
