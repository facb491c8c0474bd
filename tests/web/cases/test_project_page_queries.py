"""The project page counts each shown person's encounters without grouping the whole project
(issue 19, "Load": the grouped join was the page's slowest query on every view)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testimonio.web.cases.actions import do_create_person, do_record_encounter
from testimonio.web.cases.models import Project
from testimonio.web.cases.queries import persons_by_pseudonym
from tests.web.clients import signed_in
from tests.web.conftest import member

pytestmark = pytest.mark.django_db


def test_each_person_has_the_count_of_its_own_encounters_and_none_is_zero(
    project: Project,
) -> None:
    twice, never, once = (do_create_person(project, None) for _ in range(3))
    for person in (twice, twice, once):
        do_record_encounter(person, None, date="2018")
    counts = {p.pseudonym: p.encounter_count for p in persons_by_pseudonym(project.pk)}
    assert counts == {twice.pseudonym: 2, never.pseudonym: 0, once.pseudonym: 1}


def test_the_project_page_does_not_group_every_person_of_the_project(project: Project) -> None:
    for _ in range(60):  # more than a page of 50
        do_record_encounter(do_create_person(project, None), None, date="2019")
    client = signed_in(member(project, "analyst", "analyst"), second_factor=False)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/p/{project.slug}/?page=2")
    assert page.status_code == 200
    assert page.content.count(b"/people/P-") == 10
    # Before: every person joined to its encounters and grouped, for the count and the page.
    joined = 'FROM "cases_person" LEFT OUTER JOIN "cases_encounter"'
    grouped = [q["sql"] for q in queries.captured_queries if joined in q["sql"]]
    assert not grouped, grouped
    assert len(queries.captured_queries) <= 12
