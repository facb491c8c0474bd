"""``testimonio export``: a project's records and encounters as CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

import click

from testimonio.errors import InputError


@click.command("export")
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option(
    "--identities",
    is_flag=True,
    help="Add names, birth dates and phones (each record's reveal is audited). "
    "Without it the file is pseudonymous.",
)
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def export(slug: str, identities: bool, overwrite: bool, output: Path) -> None:
    """Write the project's records and encounters to OUTPUT (.csv or .xlsx).

    One row per encounter: person pseudonym, source, record UUID, coded attributes, date at
    the precision known, port, outcome and tactic codes; no file name, sheet, row number or
    source id (with --identities: the identity fields and the file, sheet and row). No cell is
    written that a spreadsheet would execute. The export is recorded in the audit log.
    """
    if output.suffix.lower() not in {".csv", ".xlsx"}:
        raise InputError("the export is written as .csv or .xlsx", file=output.name)
    if output.exists() and not overwrite:
        raise InputError(
            "the file exists; choose another name or pass --overwrite", file=str(output)
        )
    from testimonio.cli.projects import project_named

    project = project_named(slug)
    from testimonio.web.cases.actions.exports import do_export_project

    result = do_export_project(project, None, output, identities=identities)
    click.echo(f"Exported {result.rows:,} rows ({result.records:,} records) to {output}.")
    if identities:
        click.echo(
            "This file names people: keep it on an encrypted disk and delete it when done.",
            err=True,
        )
