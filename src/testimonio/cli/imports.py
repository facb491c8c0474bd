"""``testimonio import``: bring a spreadsheet, Kobo or ODK export into a project's source."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.progress import Progress

from testimonio.errors import InputError

if TYPE_CHECKING:
    from testimonio.ingest import MappingProfile, RowError, SourceFile, Table
    from testimonio.vocab import Bundle
    from testimonio.web.cases.models import Project
    from testimonio.web.imports.actions import ImportResult


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option(
    "--source",
    "source_name",
    required=True,
    help="The list this file belongs to (created if new), e.g. 'Shelter survey'.",
)
@click.option(
    "--kind",
    default="other",
    show_default=True,
    type=click.Choice(["intake_log", "survey", "spreadsheet", "declarations", "other"]),
    help="Kind of source, when it is created.",
)
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Mapping profile (YAML). Without it one is proposed from the file.",
)
@click.option(
    "--save-mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the proposed profile here to review it, then import nothing.",
)
@click.option("--sheet", help="Sheet of a workbook (default: the profile's, or the first).")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("import-report.xlsx"),
    show_default=True,
    help="Where to write the validation report (.xlsx or .csv) when rows fail.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows and leave out the failed ones (listed in the report).",
)
@click.option(
    "--date-order",
    type=click.Choice(["DMY", "MDY", "YMD"]),
    help="The order of date columns whose every date reads both ways (03/09/2017); "
    "without it (or a date_order in the profile) such a column stops the import.",
)
@click.option(
    "--allow-updates",
    is_flag=True,
    help="Let rows update existing records of the source (same record key, other values). "
    "Without it such an import prints what would change and writes nothing.",
)
def import_file(
    file: Path,
    slug: str,
    source_name: str,
    kind: str,
    mapping_path: Path | None,
    save_mapping: Path | None,
    sheet: str | None,
    report: Path,
    skip_invalid: bool,
    date_order: str | None,
    allow_updates: bool,
) -> None:
    """Import FILE (CSV in any common encoding, XLSX, KoboToolbox or ODK Central export).

    Columns are mapped to our fields by a mapping profile: give one with --mapping, or let one
    be proposed from the headers and values (English and Spanish) and review it first with
    --save-mapping. Every row is validated; if any row fails, nothing is written and the
    report says which row and column and what was expected (--skip-invalid imports the rest).
    Importing the same file again changes nothing. Rows that would update existing records
    (same record key, other values) are counted and their changed fields listed; they are
    written only with --allow-updates (exit 2 otherwise, nothing written).
    """
    from testimonio.config import load_config
    from testimonio.ingest import confirm_date_orders, load_mapping, propose_mapping, select_table
    from testimonio.ingest import save_mapping as write_mapping

    # Read the file while Django starts (python-calamine parses without holding the GIL).
    reading = _Reading(file, load_config().max_upload_mb) if file.is_file() else None
    project, bundle = _project_and_vocabulary(slug)
    if reading is None:
        raise InputError("file not found", file=str(file))
    read = reading.result()
    profile = load_mapping(mapping_path) if mapping_path else None
    table = select_table(read, sheet, profile)
    for note in table.notes:  # what the reader left out (an ODK export's media, say)
        click.echo(f"note: {note}", err=True)
    if profile is None:
        profile = propose_mapping(table, bundle, source=source_name)
        for note in profile.review:
            click.echo(f"review: {note}", err=True)
    if save_mapping:
        if date_order:
            confirm_date_orders(table, profile, date_order, how="")
        write_mapping(profile, save_mapping)
        click.echo(
            f"Proposed mapping written to {save_mapping}; review it, then import with "
            f"--mapping {save_mapping}."
        )
        return
    profile.require_some_field(str(file))
    confirm_date_orders(
        table,
        profile,
        date_order,
        how="give --date-order DMY or MDY, or set the column's date_order in the profile",
    )
    from testimonio.web.imports.actions import RowsFailed
    from testimonio.web.imports.changes import UpdatesNotAllowed

    detected = read.format + (f", {read.encoding}" if read.encoding else "")
    try:
        result, errors = _import(
            project, source_name, kind, table, profile, bundle, skip_invalid, allow_updates
        )
    except RowsFailed as failure:
        _tell_read(file, detected, len(table.rows), failure.errors, report)
        raise
    except UpdatesNotAllowed as refusal:
        click.echo(f"Would import into {source_name!r}:", err=True)
        for line in refusal.summary.lines():
            click.echo(line, err=True)
        raise
    _tell_read(file, detected, len(table.rows), errors, report)
    click.echo(
        f"Imported into {source_name!r}: {result.created:,} new, {result.updated:,} "
        f"updated, {result.unchanged:,} unchanged, {len(result.skipped_rows):,} left out."
    )
    for name, count in result.fields_changed.items():
        click.echo(f"  {name}: changed in {count:,} record{'s' if count != 1 else ''}")


class _Reading(threading.Thread):
    """Reads a file in a daemon thread; :meth:`result` waits and returns it or re-raises the
    reader's error (an unused read does not hold up the command's exit)."""

    def __init__(self, file: Path, max_upload_mb: int) -> None:
        super().__init__(daemon=True, name="testimonio-read")
        self.file, self.max_upload_mb = file, max_upload_mb
        self._read: SourceFile | None = None
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        from testimonio.ingest import read_file

        try:
            self._read = read_file(self.file, self.max_upload_mb)
        except BaseException as error:  # noqa: BLE001 - handed to the caller by result()
            self._error = error

    def result(self) -> SourceFile:
        self.join()
        if self._error is not None:
            raise self._error
        if self._read is None:  # pragma: no cover - run() sets one of the two
            raise RuntimeError("the file was not read")
        return self._read


def _tell_read(file: Path, detected: str, rows: int, errors: list[RowError], report: Path) -> None:
    from testimonio.ingest import write_report

    click.echo(f"Read {file.name}: {detected}; {rows:,} rows, {len(errors):,} problems.")
    if errors:
        write_report(errors, report)
        click.echo(f"Validation report: {report}", err=True)


def _import(
    project: Project,
    source_name: str,
    kind: str,
    table: Table,
    profile: MappingProfile,
    bundle: Bundle,
    skip_invalid: bool,
    allow_updates: bool,
) -> tuple[ImportResult, list[RowError]]:
    from testimonio.web.imports.actions import do_import_file
    from testimonio.web.imports.workers import import_workers

    with Progress(transient=True) as progress:
        task = progress.add_task("Importing", total=len(table.rows))
        return do_import_file(
            project,
            source_name,
            kind,
            table,
            profile,
            bundle,
            None,
            skip_invalid=skip_invalid,
            progress=lambda step: progress.advance(task, step),
            workers=import_workers(),
            allow_updates=allow_updates,
        )


def _project_and_vocabulary(slug: str) -> tuple[Project, Bundle]:
    from testimonio.cli.projects import project_named

    project = project_named(slug)  # sets Django up before its modules are imported
    from testimonio.web.cases.vocabulary_bundle import bundle_of

    return project, bundle_of(project.vocabulary)
