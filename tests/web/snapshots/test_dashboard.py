"""The project dashboard: key figures with intervals and server-rendered SVG charts, filters,
and from a figure the pseudonyms behind it, linked to their person pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from testimonio.analysis import figure_rows
from testimonio.web.cases.models import Project
from tests.web.clients import signed_in
from tests.web.snapshots.world import ImportedWorld

pytestmark = pytest.mark.django_db


def _dashboard(user: User, project: Project, **query: str) -> str:
    response = signed_in(user).get(reverse("snapshots:dashboard", args=[project.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_an_analyst_sees_the_key_figures_and_charts(
    world: ImportedWorld, project: Project, analyst: User
) -> None:
    page = _dashboard(analyst, project)
    assert "persons_turned_away" in page and "tactic:TAC." in page
    assert page.count("<svg") == 2  # rendered on the server, no script
    assert "<script" not in page
    row = re.search(r"<td>persons_turned_away</td><td>(\d+)</td><td>(\d+)</td>", page)
    assert row is not None and int(row.group(2)) == world.summary.documented_people


def test_a_filter_narrows_the_figures(
    world: ImportedWorld, project: Project, analyst: User
) -> None:
    whole = _dashboard(analyst, project)
    port = re.findall(r'<option value="(\d{4}-[A-Z]+)"', whole)[0]
    page = _dashboard(analyst, project, port=port)
    counts = re.search(r"<td>persons_turned_away</td><td>(\d+)</td><td>(\d+)</td>", page)
    everyone = re.search(r"<td>persons_turned_away</td><td>(\d+)</td><td>(\d+)</td>", whole)
    assert counts is not None and everyone is not None
    assert 0 < int(counts.group(2)) < int(everyone.group(2))
    assert f'value="{port}" selected' in page


def test_a_filter_with_no_one_says_so(
    world: ImportedWorld, project: Project, analyst: User
) -> None:
    page = _dashboard(analyst, project, port="9999-NONE")
    assert "no one in the stratum port=9999-NONE" in page
    assert "<svg" not in page


def test_a_project_never_linked_says_so(project: Project, analyst: User) -> None:
    assert "has no records" in _dashboard(analyst, project)


def test_the_figure_lists_the_people_behind_it(
    world: ImportedWorld, project: Project, analyst: User
) -> None:
    url = reverse("snapshots:figure_behind", args=[project.slug])
    response = signed_in(analyst).get(url, {"figure": "persons_turned_away"})
    page = response.content.decode()
    pseudonyms = re.findall(r'href="/p/[^/]+/people/(P-\d+)/"', page)
    whole = re.search(r"<td>persons_turned_away</td><td>(\d+)</td>", _dashboard(analyst, project))
    assert whole is not None and len(pseudonyms) == int(whole.group(1)) > 0
    person = signed_in(analyst).get(
        reverse("cases:person_detail", args=[project.slug, pseudonyms[0]])
    )
    assert person.status_code == 200


def test_an_outsider_gets_a_404(world: ImportedWorld, project: Project, outsider: User) -> None:
    for name in ("snapshots:dashboard", "snapshots:figure_behind"):
        response = signed_in(outsider).get(reverse(name, args=[project.slug]))
        assert response.status_code == 404


def test_the_json_rows_and_the_page_agree(
    world: ImportedWorld, project: Project, analyst: User
) -> None:
    from testimonio.analysis import standard_panel
    from testimonio.web.snapshots.dashboard import project_data

    rows = {row["id"]: row for row in figure_rows(standard_panel(project_data(project)))}
    page = _dashboard(analyst, project)
    shown = re.search(r"<td>persons_fear_expressed_then_turned_away</td><td>(\d+)</td>", page)
    assert shown is not None
    assert int(shown.group(1)) == rows["persons_fear_expressed_then_turned_away"]["count"]


def test_the_dashboard_shows_how_the_count_depends_on_linkage(
    world: ImportedWorld, project: Project, analyst: User
) -> None:
    from testimonio.web.cases.models import Record
    from testimonio.web.linking.models import LinkRun
    from testimonio.web.snapshots.dashboard import clear_cache

    assert "did not keep its alternative clusterings" in _dashboard(analyst, project)
    # As a run at 1.0 (its persons) would keep them, with 0.5 joining everyone into one.
    records = list(Record.objects.filter(project=project).order_by("pk"))
    numbers = {
        pseudonym: n for n, pseudonym in enumerate(sorted({r.person.pseudonym for r in records}), 1)
    }
    run = LinkRun.objects.get(project=project)
    run.alternatives = {
        "thresholds": [0.5, 1.0],
        "records": [record.pk for record in records],
        "clusters": [[1] * len(records), [numbers[r.person.pseudonym] for r in records]],
    }
    run.save()
    clear_cache()  # the change was made without an audited action, so the cache cannot know
    page = _dashboard(analyst, project)
    rows = re.findall(r"<tr><td>([\d.]+)( \(this run\))?</td>\s*<td>(\d+)</td>", page)
    assert [(threshold, bool(own)) for threshold, own, _ in rows] == [
        ("0.50", False), ("1.00", True),
    ]  # fmt: skip
    assert rows[0][2] == "1"  # everyone linked into one person
    panel = re.search(r"<td>persons_turned_away</td><td>(\d+)</td><td>(\d+)</td>", page)
    at_run = re.search(r"\(this run\)</td>\s*<td>\d+</td><td>(\d+) / (\d+)</td>", page)
    assert panel is not None and at_run is not None
    assert at_run.groups() == panel.groups()  # the run's own threshold: the panel's figure
