"""``testimonio declarations``: add, list, show and redact a project's sworn declarations.

The commands run as the instance's operator; ``show`` and ``redact`` also take ``--user``,
which must hold a role that may read declarations in the project, and is then who the audit
log names. Nothing printed holds a declarant's name except ``show`` (their paragraphs).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from testimonio.errors import InputError, TestimonioError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from testimonio.web.cases.models import Project
    from testimonio.web.declarations.models import Declaration

PROJECT = click.option("--project", "slug", required=True, help="Project slug.")
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
USER = click.option(
    "--user",
    "username",
    default=None,
    help="Act as this user (their role must allow reading declarations); audited by name.",
)


@click.group()
def declarations() -> None:
    """Sworn declarations: read into numbered paragraphs, sealed, cited and redacted."""


@declarations.command()
@PROJECT
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def add(slug: str, files: tuple[str, ...]) -> None:
    """Read each FILE (PDF, scanned PDF, image, DOCX, TXT) into sealed numbered paragraphs.

    Prints the id of each declaration, one a line. A file that cannot be read is named on
    stderr (its original is kept sealed if it is a document at all); the others are still
    added, and the exit code is 2.
    """
    project = _project(slug)
    from testimonio.web.declarations.actions import do_add_declaration

    failed = 0
    for name in files:
        path = Path(name)
        try:
            declaration = do_add_declaration(project, path.read_bytes(), path.name, None)
        except TestimonioError as error:
            failed += 1
            click.echo(f"Error: {error}", err=True)
            continue
        click.echo(declaration.pk)
    if failed:
        sys.exit(2)


@declarations.command("list")
@PROJECT
@AS_JSON
def list_declarations(slug: str, as_json: bool) -> None:
    """The project's declarations: id, pseudonym, exhibit, paragraphs, language, extractor."""
    project = _project(slug)
    from testimonio.web.declarations.models import Declaration

    rows = [
        {
            "id": d.pk,
            "pseudonym": d.person.pseudonym if d.person else None,
            "exhibit": d.exhibit,
            "paragraphs": d.paragraph_count,
            "language": d.language,
            "extractor": d.extractor_version,
        }
        for d in Declaration.objects.filter(project=project).select_related("person")
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        click.echo(
            f"{row['id']}\t{row['pseudonym'] or '-'}\tEx. {row['exhibit'] or '-'}\t"
            f"{row['paragraphs']} ¶\t{row['language'] or '?'}\t{row['extractor']}"
        )


@declarations.command()
@PROJECT
@AS_JSON
@USER
@click.argument("declaration_id", metavar="ID", type=int)
def show(slug: str, as_json: bool, username: str | None, declaration_id: int) -> None:
    """The numbered paragraphs of declaration ID (audited, a custody event)."""
    project = _project(slug)
    actor = _actor(project, username)
    declaration = _declaration(project, declaration_id)
    from testimonio.web.declarations.actions import do_reveal_paragraphs

    paragraphs = do_reveal_paragraphs(declaration, actor)
    if as_json:
        click.echo(json.dumps(paragraphs, ensure_ascii=False))
        return
    for paragraph in paragraphs:
        click.echo(f"¶ {paragraph['number']}  {paragraph['text']}")


@declarations.command()
@PROJECT
@USER
@click.option("--out", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace OUT if it exists.")
@click.argument("declaration_id", metavar="ID", type=int)
def redact(
    slug: str, username: str | None, output: Path, overwrite: bool, declaration_id: int
) -> None:
    """Write a copy of declaration ID for filing, without the declarant's identity.

    Names the declaration states and the linked person's recorded names, birth dates and
    phones are replaced (pseudonym, initials, "[birth date]"); the copy is checked and kept
    as a derived document; a redaction log (kinds and counts, no values) is printed.
    """
    if output.exists() and not overwrite:
        raise InputError("exists already (use --overwrite to replace it)", file=str(output))
    project = _project(slug)
    actor = _actor(project, username)
    declaration = _declaration(project, declaration_id)
    from testimonio.web.declarations.actions import do_redact_declaration

    copy = do_redact_declaration(declaration, actor)
    output.write_bytes(copy.pdf)
    for entry in copy.log:
        click.echo(f"{entry.where}\t{entry.kind}\t{entry.count}")
    click.echo(f"Redacted copy written: {output}", err=True)


def _project(slug: str) -> Project:
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.cases.models import Project

    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise InputError(f"no project {slug!r}", column="project")
    return project


def _actor(project: Project, username: str | None) -> User | None:
    if username is None:
        return None
    from testimonio.web.accounts.models import Membership
    from testimonio.web.accounts.permissions import may

    membership = Membership.objects.filter(project=project, user__username=username).first()
    if membership is None or not may(membership, "view_declarations"):
        raise InputError(f"user {username!r} may not read this project's declarations")
    return membership.user


def _declaration(project: Project, declaration_id: int) -> Declaration:
    from testimonio.web.declarations.models import Declaration

    found: Any = (
        Declaration.objects.filter(project=project, pk=declaration_id)
        .select_related("document", "person")
        .first()
    )
    if found is None:
        raise InputError(f"no declaration {declaration_id} in project {project.slug!r}")
    return found
