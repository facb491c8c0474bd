"""``testimonio export``: a project's records and encounters as CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

import click

from testimonio.errors import InputError


@click.command("export")
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option(
    "--with-identities",
    "--identities",
    "identities",
    is_flag=True,
    help="Add names, birth dates and phones; needs --reason. Each record's reveal is "
    "audited and the project's administrators are told. Without it the file is pseudonymous.",
)
@click.option(
    "--reason",
    default="",
    help="Why the identities are needed (required with --with-identities; kept in the audit "
    "log). Name the task, never a person.",
)
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def export(slug: str, identities: bool, reason: str, overwrite: bool, output: Path) -> None:
    """Write the project's records and encounters to OUTPUT (.csv or .xlsx).

    One row per encounter: person pseudonym, source, record UUID, coded attributes, date at
    the precision known, port, outcome and tactic codes; no file name, sheet, row number or
    source id (with --with-identities: the identity fields and the file, sheet and row). No
    cell is written that a spreadsheet would execute. The export is recorded in the audit log.

    Whoever runs this command holds the instance's master key, so the web's limits on
    exporting identities (role, second factor, cap) do not apply here; a reason does, and the
    export is audited and noticed to the project's administrators like a web export.
    """
    if identities and not reason.strip():
        raise InputError("--with-identities needs --reason: say why the identities are needed")
    if output.suffix.lower() not in {".csv", ".xlsx"}:
        raise InputError("the export is written as .csv or .xlsx", file=output.name)
    if output.exists() and not overwrite:
        raise InputError(
            "the file exists; choose another name or pass --overwrite", file=str(output)
        )
    from testimonio.cli.projects import project_named

    project = project_named(slug)
    from testimonio.web.accounts.identity_policy import OPERATOR
    from testimonio.web.cases.actions.exports import IdentityRequest, do_export_project

    asked = IdentityRequest(OPERATOR, reason) if identities else None
    result = do_export_project(project, None, output, identities=asked)
    click.echo(f"Exported {result.rows:,} rows ({result.records:,} records) to {output}.")
    if identities:
        click.echo(
            "This file names people: keep it on an encrypted disk and delete it when done.",
            err=True,
        )
