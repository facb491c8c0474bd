"""Named plaintiffs (attorneys and administrators mark them, audited; the snapshot carries
them, typicality shows them), class totals in `analyze`, and the dashboard's cache."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from django.contrib.auth.models import User
from django.urls import reverse

from testimonio.analysis import load_snapshot
from testimonio.analysis.whole_class import ASSUMPTION
from testimonio.cli.main import cli
from testimonio.errors import PermissionDenied
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Person, Project
from testimonio.web.linking.models import EstimateRun
from testimonio.web.snapshots import dashboard
from testimonio.web.snapshots.actions import do_mark_named_plaintiff, do_unmark_named_plaintiff
from testimonio.web.snapshots.models import NamedPlaintiff
from tests.web.clients import signed_in
from tests.web.snapshots.world import ImportedWorld

pytestmark = pytest.mark.django_db


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def a_person(project: Project) -> Person:
    """A person turned away (an encounter whose outcome is not under OUT.PROCESSED)."""
    person = (
        Person.objects.filter(project=project, encounters__outcome__isnull=False)
        .exclude(encounters__outcome__code__startswith="OUT.PROCESSED")
        .order_by("pk")
        .first()
    )
    assert person is not None
    return person


def test_an_attorney_marks_a_named_plaintiff_on_the_person_page(
    world: ImportedWorld, project: Project, attorney: User
) -> None:
    person = a_person(project)
    client = signed_in(attorney)
    page = client.get(reverse("cases:person_detail", args=[project.slug, person.pseudonym]))
    assert "Mark as a named plaintiff" in page.content.decode()
    url = reverse("snapshots:named_plaintiff", args=[project.slug, person.pseudonym])
    assert client.post(url).status_code == 302
    page = client.get(reverse("cases:person_detail", args=[project.slug, person.pseudonym]))
    assert 'id="named-plaintiff"' in page.content.decode()
    assert NamedPlaintiff.objects.get(person=person).designated_by == attorney
    event = AuditEvent.objects.get(action="analysis.named_plaintiff.mark")
    assert event.details == {"person": person.pseudonym} and event.actor_id == attorney.pk
    client.post(url, {"remove": "1"})
    assert not NamedPlaintiff.objects.filter(person=person).exists()
    assert AuditEvent.objects.filter(action="analysis.named_plaintiff.unmark").count() == 1


def test_an_analyst_may_not_mark_and_the_refusal_is_audited(
    world: ImportedWorld, project: Project, analyst: User
) -> None:
    person = a_person(project)
    url = reverse("snapshots:named_plaintiff", args=[project.slug, person.pseudonym])
    assert signed_in(analyst).post(url).status_code == 404
    page = signed_in(analyst).get(
        reverse("cases:person_detail", args=[project.slug, person.pseudonym])
    )
    assert "Mark as a named plaintiff" not in page.content.decode()
    with pytest.raises(PermissionDenied):
        do_mark_named_plaintiff(person, analyst)
    assert not NamedPlaintiff.objects.exists()
    assert AuditEvent.objects.filter(action="analysis.named_plaintiff.refused").count() == 1


def test_the_cli_marks_the_snapshot_carries_it_and_analyze_shows_typicality(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    person = a_person(project)
    args = ["people", "named-plaintiff", "--project", project.slug, "--person", person.pseudonym]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    again = invoke(*args)
    assert again.exit_code == 2 and "already a named plaintiff" in again.output
    out = tmp_path / "project.duckdb"
    assert invoke("snapshot", "--project", project.slug, "--out", str(out)).exit_code == 0
    persons = load_snapshot(out).frame("persons")
    assert set(persons.loc[persons["named_plaintiff"], "person_id"]) == {person.pseudonym}
    analysis = invoke("analyze", "--project", project.slug)
    assert analysis.exit_code == 0, analysis.output
    typical = [line for line in analysis.output.splitlines() if line.startswith(person.pseudonym)]
    assert any("persons_turned_away " in line for line in typical), analysis.output
    assert invoke(*args, "--remove").exit_code == 0
    assert invoke(*args, "--remove").exit_code == 2


def test_analyze_class_totals_need_an_estimate_then_state_the_assumption(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    refused = invoke("analyze", "--project", project.slug, "--class-totals")
    assert refused.exit_code == 2 and "testimonio estimate" in refused.output
    EstimateRun.objects.create(
        project=project, method="loglinear", stratum="", input_hash="0" * 64,
        result={"estimate": 400.0, "lower": 350.0, "upper": 480.0, "level": 0.95, "sound": True},
    )  # fmt: skip
    result = invoke("analyze", "--project", project.slug, "--class-totals", "--json")
    assert result.exit_code == 0, result.output
    totals = [row for row in json.loads(result.output) if row.get("kind") == "class_total"]
    turned = next(row for row in totals if row["id"] == "class_total:persons_turned_away")
    assert turned["assumption"] == ASSUMPTION
    assert turned["count"] <= turned["lower"] < turned["total"] < turned["upper"] <= 480
    out = tmp_path / "tables.xlsx"
    text = invoke("analyze", "--project", project.slug, "--class-totals", "--out", str(out))
    sheet = openpyxl.load_workbook(out, read_only=True)["class_totals"]
    header = next(sheet.iter_rows(values_only=True))
    assert {"id", "total", "lower", "upper", "assumption"} <= set(header)
    assert ASSUMPTION in text.output and "Population estimate (loglinear): 400" in text.output


def test_the_dashboard_is_built_once_until_the_project_changes(
    world: ImportedWorld, project: Project, analyst: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = []
    build = dashboard.build_project_data

    def counted(project: Project) -> object:
        builds.append(project.pk)
        return build(project)

    dashboard.clear_cache()
    monkeypatch.setattr(dashboard, "build_project_data", counted)
    client = signed_in(analyst)
    url = reverse("snapshots:dashboard", args=[project.slug])
    first, second = (re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", client.get(url)
                            .content.decode()) for _ in range(2))  # fmt: skip
    assert len(builds) == 1 and first == second and "persons_turned_away" in first
    client.get(url, {"port": "9999-NONE"})  # a filter reads the same build
    assert len(builds) == 1
    do_mark_named_plaintiff(a_person(project), None)  # a write: the marker moves
    client.get(url)
    assert len(builds) == 2
    do_unmark_named_plaintiff(a_person(project), None)
    client.get(url)
    assert len(builds) == 3
    dashboard.clear_cache()
