"""`testimonio link --project SLUG`: the project's records linked from the command line, as the
web page does, with the run recorded."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from testimonio.cli.main import cli
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Person, Project
from testimonio.web.linking.models import LinkRun
from tests.web.linking.factories import SURNAMES, make_world

pytestmark = pytest.mark.django_db


def test_it_links_the_projects_records_and_records_the_run(project: Project) -> None:
    world = make_world(project, people=10, vague=4)
    before = Person.objects.filter(project=project).count()
    result = CliRunner().invoke(cli, ["link", "--project", project.slug, "--seed", "7"])
    assert result.exit_code == 0, result.output
    run = LinkRun.objects.get(project=project)
    after = Person.objects.filter(project=project).count()
    assert before == len(world.records) and after < before
    assert f"into {after:,} people (before: {before:,})" in result.stdout
    assert f"link run {run.pk}" in result.stdout
    assert run.threshold == pytest.approx(2 / 3)
    assert AuditEvent.objects.filter(action="analyses.linkage.run").count() == 1
    assert not [name for name in SURNAMES if name in result.output]  # no identity on screen


def test_an_unknown_project_is_one_line() -> None:
    result = CliRunner().invoke(cli, ["link", "--project", "nope"])
    assert result.exit_code != 0 and "no project 'nope'" in result.output
