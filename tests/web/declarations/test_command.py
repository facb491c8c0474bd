"""`testimonio declarations add | list | show | redact`, in process against the test database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result
from django.contrib.auth.models import User

from testimonio.cli.main import cli
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Person, Project
from testimonio.web.declarations.actions import do_link_declaration, do_set_exhibit
from testimonio.web.declarations.models import Declaration
from tests.declarations.conftest import SimulatedWorld
from tests.web.conftest import member

pytestmark = pytest.mark.django_db


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["declarations", *args])


def added(
    project: Project, world: SimulatedWorld, kinds: tuple[str, ...] = ("docx", "pdf")
) -> list[int]:
    files = [str(world.of_format(kind)[0].path) for kind in kinds]
    result = run("add", *files, "--project", project.slug)
    assert result.exit_code == 0, result.output
    return [int(line) for line in result.stdout.split()]


def test_add_prints_each_declarations_id(project: Project, world: SimulatedWorld) -> None:
    ids = added(project, world)
    assert sorted(ids) == sorted(Declaration.objects.values_list("pk", flat=True))


def test_add_names_a_file_it_cannot_read_and_still_adds_the_others(
    project: Project, world: SimulatedWorld, tmp_path: Path
) -> None:
    bad = tmp_path / "roto.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    good = world.of_format("docx")[0].path
    result = run("add", str(bad), str(good), "--project", project.slug)
    assert result.exit_code == 2
    assert "roto.pdf" in result.stderr and "Traceback" not in result.output
    assert len(result.stdout.split()) == 1 and Declaration.objects.count() == 1


def test_list_json_has_the_documented_shape(
    project: Project, world: SimulatedWorld, person: Person
) -> None:
    first, _ = added(project, world)
    declaration = Declaration.objects.get(pk=first)
    do_link_declaration(declaration, person, None)
    do_set_exhibit(declaration, "4", None)
    rows = json.loads(run("list", "--project", project.slug, "--json").stdout)
    assert set(rows[0]) == {"id", "pseudonym", "exhibit", "paragraphs", "language", "extractor"}
    row = next(r for r in rows if r["id"] == first)
    assert (row["pseudonym"], row["exhibit"]) == (person.pseudonym, "4")
    assert row["paragraphs"] == declaration.paragraph_count > 0
    assert row["extractor"].startswith("python-docx")


def test_show_json_gives_numbered_paragraphs_and_is_audited(
    project: Project, world: SimulatedWorld
) -> None:
    [declaration_id] = added(project, world, ("docx",))
    before = AuditEvent.objects.count()
    result = run("show", str(declaration_id), "--project", project.slug, "--json")
    paragraphs = json.loads(result.stdout)
    truth = world.of_format("docx")[0].true_paragraphs()
    assert paragraphs == [{"number": n, "text": t} for n, t in truth]
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-pk").first().action == "evidence.document.viewed"


def test_redact_writes_a_pdf_without_the_declarants_name(
    project: Project, world: SimulatedWorld, tmp_path: Path
) -> None:
    [declaration_id] = added(project, world, ("pdf",))
    out = tmp_path / "ex.pdf"
    result = run("redact", str(declaration_id), "--project", project.slug, "--out", str(out))
    assert result.exit_code == 0, result.output
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    name = world.of_format("pdf")[0].index["declarant_name"]
    assert name not in text and name.split()[-1] not in text
    again = run("redact", str(declaration_id), "--project", project.slug, "--out", str(out))
    assert again.exit_code == 2 and "--overwrite" in again.stderr


def test_unknown_project_and_declaration_are_one_line_errors(
    project: Project, world: SimulatedWorld
) -> None:
    assert "no project 'nope'" in run("list", "--project", "nope").stderr
    missing = run("show", "999", "--project", project.slug)
    assert missing.exit_code == 2 and "no declaration 999" in missing.stderr


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("attorney", True), ("intake", True), ("analyst", False), ("viewer", False)],
)
def test_show_and_redact_as_a_user_follow_the_role_matrix(
    project: Project, world: SimulatedWorld, tmp_path: Path, role: str, allowed: bool
) -> None:
    [declaration_id] = added(project, world, ("docx",))
    member(project, f"someone-{role}", role)
    show = run("show", str(declaration_id), "--project", project.slug, "--user", f"someone-{role}")
    out = tmp_path / "copy.pdf"
    redact = run(
        "redact", str(declaration_id), "--project", project.slug, "--out", str(out),
        "--user", f"someone-{role}",
    )  # fmt: skip
    assert (show.exit_code, redact.exit_code) == ((0, 0) if allowed else (2, 2))
    assert out.exists() == allowed
    user = User.objects.get(username=f"someone-{role}")
    viewed = AuditEvent.objects.filter(actor_id=user.pk, action="evidence.document.viewed")
    assert viewed.exists() == allowed


def test_a_user_without_a_role_in_the_project_may_not_show(
    project: Project, world: SimulatedWorld, outsider: User
) -> None:
    [declaration_id] = added(project, world, ("docx",))
    result = run("show", str(declaration_id), "--project", project.slug, "--user", "outsider")
    assert result.exit_code == 2 and "may not read" in result.stderr
