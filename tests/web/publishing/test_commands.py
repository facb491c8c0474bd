"""`testimonio report public --project` and `report approve`: the project's k, approval and
published releases; one clear line (exit code 2) for what cannot be done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from django.contrib.auth.models import User

from testimonio.cli.main import cli
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.publishing.models import PublicationApproval
from tests.web.snapshots.world import ImportedWorld

pytestmark = pytest.mark.django_db


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _sha(output: str) -> str:
    return next(line.split(": ")[1] for line in output.splitlines()
                if line.startswith("Snapshot SHA-256: "))  # fmt: skip


def test_snapshot_and_project_together_or_neither_are_refused(
    project: Project, tmp_path: Path
) -> None:
    for args in ([], ["--snapshot", str(tmp_path), "--project", project.slug]):
        result = invoke("report", "public", *args, "--out", str(tmp_path / "out"))
        assert result.exit_code == 2, result.output
        assert "either --snapshot FILE or --project SLUG" in result.output
    result = invoke("report", "public", "--project", project.slug, "--threshold", "3",
                    "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 2 and "the project's k" in result.output


def test_approve_refuses_an_analyst_and_audits_it(
    project: Project, members: dict[str, User]
) -> None:
    result = invoke("report", "approve", "--project", project.slug, "--snapshot-sha", "a" * 64,
                    "--user", members["analyst"].username)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert AuditEvent.objects.filter(action="publishing.refused").count() == 1
    assert not PublicationApproval.objects.exists()


@pytest.mark.slow
def test_report_public_project_is_a_draft_until_approved_then_published(
    world: ImportedWorld, project: Project, members: dict[str, User], tmp_path: Path
) -> None:
    out = tmp_path / "public"
    first = invoke("report", "public", "--project", project.slug, "--out", str(out))
    assert first.exit_code == 0, first.output
    assert "Draft: not approved" in first.output
    assert f"(k = {project.publication_threshold})" in first.output
    sha = _sha(first.output)
    approved = invoke("report", "approve", "--project", project.slug, "--snapshot-sha", sha,
                      "--user", members["attorney"].username, "--date", "2026-10-15")  # fmt: skip
    assert approved.exit_code == 0, approved.output
    second = invoke("report", "public", "--project", project.slug, "--out", str(out))
    assert second.exit_code == 0, second.output
    assert "Published release" in second.output and "(approved 2026-10-15)" in second.output
    releases = json.loads((out / "releases.json").read_text(encoding="utf-8"))["releases"]
    assert [(entry["month"], entry["approved"]) for entry in releases] == [("2026-10", True)]
    assert "2026-10" in (out / "feed.xml").read_text(encoding="utf-8")
    events = AuditEvent.objects.filter(action="publishing.public.generate").order_by("sequence")
    assert [event.details["approval"] is not None for event in events] == [False, True]
    assert all(len(event.details["report_sha256"]) == 64 for event in events)
