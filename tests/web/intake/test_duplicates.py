"""The intake form's duplicate check: blocked by blind indexes, scored by linkage, audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.crypto import surname_sound_year_index
from testimonio.linkage import IdentityFacts, surname_sound_keys
from testimonio.web.accounts.models import Membership
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person, do_create_record
from testimonio.web.cases.models import Person, Project, RecordIdentity, Source
from testimonio.web.intake.duplicates import do_check_duplicates, scoring_parameters
from testimonio.web.intake.models import Intake
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.keys.reindex import do_reindex_identities
from testimonio.web.keys.ring import current_index_key
from testimonio.web.linking.models import LinkRun
from tests.web.clients import signed_in
from tests.web.intake.testimonies import form_post

pytestmark = pytest.mark.django_db

NEW = "/p/turnbacks-2017/intake/new/"
#: The form's person, with a full birth date: Rosalba Quintero Ávila, 2 April 1990.
ENTRY = {"person-birth_day": "2", "person-phone": ""}


def known(source: Source, identity: IdentityFields) -> Person:
    person = do_create_person(source.project, None)
    do_create_record(source, None, person=person, identity=identity)
    return person


def test_a_typo_in_the_name_with_the_same_birth_date_is_shown_with_band_and_fields(
    project: Project, source: Source, intake_officer: User
) -> None:
    rosalva = known(source, IdentityFields("Rosalva", "Quintero Avila", "1990-04-02"))
    response = signed_in(intake_officer).post(NEW, form_post(**ENTRY))
    page = response.content.decode()
    assert [found.pseudonym for found in response.context["found"]] == [rosalva.pseudonym]
    assert "high likelihood" in page and "agreeing: given name, surnames, birth date" in page
    assert "Rosalva" not in page and "Quintero Avila" not in page and "1990-04-02" not in page
    assert not Intake.objects.exists()  # asked before saving


def test_swapped_surnames_are_shown(project: Project, source: Source, intake_officer: User) -> None:
    swapped = known(source, IdentityFields("Rosalba", "Ávila Quintero", "1990-04-02"))
    response = signed_in(intake_officer).post(NEW, form_post(**ENTRY))
    assert [found.pseudonym for found in response.context["found"]] == [swapped.pseudonym]


def test_a_spelling_variant_is_found_through_the_surname_sound_index(
    project: Project, source: Source, attorney: User
) -> None:
    # No exact index is shared: not the surname, the given name, the date or a phone.
    variant = known(source, IdentityFields("Rosalva", "Kintero Ávila", "1990-04-03"))
    response = signed_in(attorney).post(NEW, form_post(**ENTRY))
    assert [found.pseudonym for found in response.context["found"]] == [variant.pseudonym]
    sound = surname_sound_year_index(surname_sound_keys("Quintero")[0], "1990", current_index_key())
    assert RecordIdentity.objects.get().paternal_sound_year_index == sound


def test_a_different_person_with_the_same_common_surname_is_not_shown(
    project: Project, source: Source, intake_officer: User
) -> None:
    known(source, IdentityFields("Marcos", "Quintero Ávila", "1990-09-17"))
    response = signed_in(intake_officer).post(NEW, form_post(**ENTRY))
    assert response.status_code == 302  # saved at once: nothing to ask
    assert AuditEvent.objects.get(action="intake.duplicate_check").details == {
        "opened": 1,
        "shown": [],
    }


def test_the_check_is_audited_without_identity_values(
    project: Project, source: Source, intake_officer: User
) -> None:
    rosalva = known(source, IdentityFields("Rosalva", "Quintero Avila", "1990-04-02"))
    signed_in(intake_officer).post(NEW, form_post(**ENTRY))
    event = AuditEvent.objects.get(action="intake.duplicate_check")
    assert event.actor_id == intake_officer.pk
    assert event.details == {"opened": 1, "shown": [rosalva.pseudonym]}
    for value in ("Rosal", "Quintero", "Avila", "Ávila", "1990"):
        assert value not in str(event.details)


def test_a_role_that_may_not_see_identities_is_told_nothing_and_opens_nothing(
    project: Project, source: Source, analyst: User
) -> None:
    known(source, IdentityFields("Rosalba", "Quintero Ávila", "1990-04-02"))
    membership = Membership.objects.get(user=analyst, project=project)
    entry = IdentityFacts("Rosalba", "Quintero Ávila", "1990-04-02")
    assert do_check_duplicates(membership, analyst, entry) == []
    assert not AuditEvent.objects.filter(action="intake.duplicate_check").exists()


def test_the_spanish_page_names_the_band_and_fields_in_spanish(
    project: Project, source: Source, intake_officer: User
) -> None:
    known(source, IdentityFields("Rosalba", "Quintero Ávila", "1990-04-02"))
    response = signed_in(intake_officer).post(NEW, form_post(**ENTRY), HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert "probabilidad alta" in page and "coinciden: nombre, apellidos" in page


def test_the_last_link_runs_trained_parameters_are_used(project: Project) -> None:
    assert scoring_parameters(project).origin == "defaults"
    splink = {"probability_two_random_records_match": 0.002, "comparisons": []}
    run = LinkRun.objects.create(
        project=project, input_hash="0" * 64, threshold=0.9, settings={"splink_settings": splink}
    )
    parameters = scoring_parameters(project)
    assert parameters.origin == f"link run {run.pk}" and parameters.prior == 0.002


def test_reindexing_fills_the_sound_indexes_of_older_records(
    project: Project, source: Source
) -> None:
    known(source, IdentityFields("Rosalba", "Quintero Ávila", "1990-04-02"))
    written = RecordIdentity.objects.get()
    RecordIdentity.objects.update(paternal_sound_year_index="", maternal_sound_year_index="")
    assert do_reindex_identities(None) == (1, 1)
    again = RecordIdentity.objects.get()
    assert again.paternal_sound_year_index == written.paternal_sound_year_index != ""
    assert again.maternal_sound_year_index == written.maternal_sound_year_index != ""


def test_an_erased_record_is_not_opened_or_shown(
    project: Project, source: Source, intake_officer: User
) -> None:
    from testimonio.web.keys.ring import destroy_data_keys

    erased = known(source, IdentityFields("Rosalba", "Quintero Ávila", "1990-04-02"))
    destroy_data_keys([erased.records.get().uuid])
    membership = Membership.objects.get(user=intake_officer, project=project)
    entry = IdentityFacts("Rosalba", "Quintero Ávila", "1990-04-02")
    assert do_check_duplicates(membership, intake_officer, entry) == []


def test_records_sharing_a_narrow_index_are_opened_first(
    project: Project, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimonio.web.intake import duplicates

    known(source, IdentityFields("Marcos", "Quintero", "1990-09-17"))  # surname + year only
    same_day = known(source, IdentityFields("Rosalba", "Kintero", "1990-04-02"))
    monkeypatch.setattr(duplicates, "MAX_CANDIDATES", 1)
    entry = IdentityFacts("Rosalba", "Quintero Ávila", "1990-04-02")
    assert [r.person for r in duplicates.candidate_records(project, entry)] == [same_day]
