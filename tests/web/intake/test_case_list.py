"""The case list: filters as GET parameters, keyset pages, pseudonyms only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testimonio.web.cases.actions import (
    do_code_encounter,
    do_create_person,
    do_create_record,
    do_create_source,
    do_flag_persons,
    do_record_encounter,
)
from testimonio.web.cases.models import Person, Project, Source
from testimonio.web.intake.queries import CaseFilters, case_page
from testimonio.web.keys.identity import IdentityFields
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db


def add_person(
    source: Source,
    *,
    port: str = "2504-SYS",
    year: str = "2018",
    tactic: str = "",
    nationality: str = "",
    vulnerabilities: tuple[str, ...] = (),
    records: int = 1,
) -> Person:
    person = do_create_person(source.project, None)
    for _ in range(records):
        do_create_record(
            source,
            None,
            person=person,
            identity=IdentityFields("Canarito", "Prueba"),
            attributes={"nationality": nationality},
            vulnerabilities=vulnerabilities,
        )
    encounter = do_record_encounter(person, None, date=year, port=port)
    if tactic:
        do_code_encounter(encounter, tactic, None)
    return person


def pseudonyms(project: Project, **filters: object) -> list[str]:
    page = case_page(project.pk, CaseFilters(**filters))  # type: ignore[arg-type]
    return [row["pseudonym"] for row in page.rows]


def test_each_filter_keeps_only_the_persons_it_names(project: Project, source: Source) -> None:
    other_source = do_create_source(project, "Shelter survey", None, kind="survey")
    tijuana = add_person(source, tactic="TAC.DENY.CAPACITY", nationality="HN")
    nogales = add_person(source, port="2604-DEC", year="2019", nationality="GT")
    pregnant = add_person(other_source, vulnerabilities=("VUL.PREGNANT",), records=2)
    assert pseudonyms(project, port="2604-DEC") == [nogales.pseudonym]
    assert pseudonyms(project, year_from=2019) == [nogales.pseudonym]
    assert pseudonyms(project, year_to=2018) == [tijuana.pseudonym, pregnant.pseudonym]
    assert pseudonyms(project, tactic="TAC.DENY") == [tijuana.pseudonym]  # a term's children
    assert pseudonyms(project, nationality="HN") == [tijuana.pseudonym]
    assert pseudonyms(project, vulnerability="VUL.PREGNANT") == [pregnant.pseudonym]
    assert pseudonyms(project, source=other_source.pk) == [pregnant.pseudonym]
    assert pseudonyms(project, linkage="linked") == [pregnant.pseudonym]
    assert pseudonyms(project, linkage="single") == [tijuana.pseudonym, nogales.pseudonym]
    assert pseudonyms(project, port="2504-SYS", year_from=2019) == []


def test_a_vulnerability_does_not_match_a_longer_code_that_starts_with_it(
    project: Project, source: Source
) -> None:
    add_person(source, vulnerabilities=("VUL.LGBTQ.TRANSGENDER",))
    assert pseudonyms(project, vulnerability="VUL.LGBTQ") == []


def test_flagged_persons_are_those_whose_records_disagree(project: Project, source: Source) -> None:
    add_person(source)
    flagged = add_person(source, records=2)
    do_flag_persons(project, None, {flagged.pk: ["birth_years_apart"]})
    assert pseudonyms(project, linkage="flagged") == [flagged.pseudonym]


def test_pages_follow_each_other_by_pseudonym(project: Project, source: Source) -> None:
    people = [add_person(source).pseudonym for _ in range(5)]
    first = case_page(project.pk, CaseFilters(), size=2)
    second = case_page(project.pk, CaseFilters(), after=first.next_after or "", size=2)
    last = case_page(project.pk, CaseFilters(), after=second.next_after or "", size=2)
    back = case_page(project.pk, CaseFilters(), before=last.previous_before or "", size=2)
    assert [r["pseudonym"] for r in first.rows] == people[:2]
    assert [r["pseudonym"] for r in second.rows] == people[2:4]
    assert [r["pseudonym"] for r in last.rows] == people[4:] and last.next_after is None
    assert [r["pseudonym"] for r in back.rows] == people[2:4]
    assert first.previous_before is None


def test_a_page_takes_the_same_number_of_queries_whatever_the_size(
    project: Project, source: Source, analyst: User
) -> None:
    client = signed_in(analyst)
    url = f"/p/{project.slug}/cases/?port=2504-SYS&linkage=single"
    add_person(source)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(60):
        add_person(source, tactic="TAC.DENY.CAPACITY")
    with CaptureQueriesContext(connection) as first_page:
        page = client.get(url)
    after = page.context["page"].next_after
    with CaptureQueriesContext(connection) as second_page:
        client.get(f"{url}&after={after}")
    assert len(page.context["page"].rows) == 50
    assert len(small) == len(first_page) == len(second_page)


def test_the_list_shows_pseudonyms_and_never_a_name(
    project: Project, source: Source, analyst: User
) -> None:
    person = add_person(source)
    page = signed_in(analyst).get(f"/p/{project.slug}/cases/").content.decode()
    assert person.pseudonym in page and "Canarito" not in page


def test_a_bad_filter_is_named_and_lists_nobody(
    project: Project, source: Source, analyst: User
) -> None:
    person = add_person(source)
    response = signed_in(analyst).get(
        f"/p/{project.slug}/cases/?port=NOPE&year_from=2020&year_to=2019"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page and "The period ends before it starts." in page
    assert person.pseudonym not in page


def test_an_outsider_gets_404(project: Project, outsider: User) -> None:
    assert signed_in(outsider).get(f"/p/{project.slug}/cases/").status_code == 404
