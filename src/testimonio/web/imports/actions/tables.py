"""Import a table (or rows validated beforehand) into a source: all or nothing, idempotent,
every record audited.

A row is found again by the source's own record id (or, without one, its content) and its hash:
the same row twice changes nothing, a changed row with an id is updated (with an audit event
naming the fields, not their values). Until linkage says otherwise, each new record is its own
person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from testimonio.errors import ValidationError
from testimonio.ingest import (
    CHUNK_ROWS,
    ChunkValidator,
    RowError,
    RowHasher,
    ValidatedRow,
    collector_paused,
)
from testimonio.web.audit.log import Actor, close_chain, open_chain, record_event
from testimonio.web.cases.actions.projects import do_create_source
from testimonio.web.cases.models import (
    Language,
    Nationality,
    Project,
    Record,
    RecordIdentity,
    Source,
)
from testimonio.web.cases.resolve import resolve_code
from testimonio.web.db.bulk_insert import larger_page_cache
from testimonio.web.imports.changes import ChangeSummary, UpdatesNotAllowed, field_changes
from testimonio.web.imports.new_records import ImportResult, ImportRun, Lookups, NewRecords
from testimonio.web.imports.row_values import identity_fields, keyed_record_key, record_attributes
from testimonio.web.imports.workers import ChunkWriter, ForkedImport, can_fork
from testimonio.web.keys.identity import seal_identity

if TYPE_CHECKING:
    from testimonio.ingest import MappingProfile, Table
    from testimonio.vocab import Bundle


#: SQLite's page cache during an import: enough for the indexes of a 100,000-row import
#: (see :func:`larger_page_cache`), and a bound on what the cache adds to the importing
#: process, which must stay under 500 MB for any file inside the limits (docs/import.md).
IMPORT_PAGE_CACHE_MB = 128


class RowsFailed(ValidationError):
    """Rows failed validation and nothing was imported; ``errors`` are for the report."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        failed = len({(error.sheet, error.row) for error in errors})
        super().__init__(
            f"{failed} row(s) failed validation, so nothing was imported; see the report "
            "(or import the valid rows with --skip-invalid)",
            file=errors[0].file,
        )


def do_import_rows(
    source: Source,
    rows: Sequence[ValidatedRow],
    errors: Sequence[RowError],
    actor: Actor,
    *,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    allow_updates: bool = True,
) -> ImportResult:
    """Write rows validated beforehand (the web's confirm step) to ``source`` in one
    transaction; refuse everything (:class:`RowsFailed`) if any row failed.

    With ``skip_invalid`` the valid rows are written and the failed ones are left out (their
    reasons are in the caller's report). Without ``allow_updates``, rows that would update
    existing records refuse the whole import (:class:`UpdatesNotAllowed`).
    """
    if errors and not skip_invalid:
        raise RowsFailed(errors)

    def write(run: ImportRun) -> None:
        run.errors += errors  # the rows left out: counted by the import's audit event
        writer = ChunkWriter(run.new_records, progress=progress)
        for start in range(0, len(rows), CHUNK_ROWS):
            _write_chunk(run, writer, rows[start : start + CHUNK_ROWS])

    result, _ = _import(source, actor, True, progress, write, allow_updates)
    return result


def do_import_file(
    project: Project,
    source_name: str,
    source_kind: str,
    table: Table,
    profile: MappingProfile,
    vocabulary: Bundle,
    actor: Actor,
    *,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    workers: int = 0,
    allow_updates: bool = True,
) -> tuple[ImportResult, list[RowError]]:
    """Import a file's table into the project's source called ``source_name``, created (of
    ``source_kind``) in the import's own transaction: a refused import leaves no new source
    behind. Rows are validated and written a chunk at a time (see :func:`do_import_table`)."""
    with transaction.atomic():
        source = source_named(project, source_name, source_kind, actor)
        return do_import_table(
            source,
            table,
            profile,
            vocabulary,
            actor,
            skip_invalid=skip_invalid,
            progress=progress,
            workers=workers,
            allow_updates=allow_updates,
        )


def do_import_table(
    source: Source,
    table: Table,
    profile: MappingProfile,
    vocabulary: Bundle,
    actor: Actor,
    *,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    workers: int = 0,
    chunk_rows: int | None = None,
    allow_updates: bool = True,
) -> tuple[ImportResult, list[RowError]]:
    """Validate ``table`` and write it to ``source`` a chunk at a time, in one transaction.

    With ``workers`` (on SQLite), forked worker processes validate and build the chunks while
    this process writes finished ones (:mod:`~testimonio.web.imports.workers`); without,
    each chunk is validated and written in turn. If any row fails and ``skip_invalid`` is not
    set, writing stops, the rest is still validated, everything is rolled back and
    :class:`RowsFailed` carries every error; with it, the failed rows are left out and returned
    with the result. ``chunk_rows`` rows are validated and written together. Without
    ``allow_updates``, an import that would update existing records is rolled back and
    :class:`UpdatesNotAllowed` carries what it would change. ``chunk_rows`` defaults to the
    module's ``CHUNK_ROWS`` as it is when called (the same chunks as :func:`do_import_rows`).
    """
    chunk_rows = chunk_rows or CHUNK_ROWS
    validator = ChunkValidator(table, profile, vocabulary)

    def write(run: ImportRun) -> None:
        if validator.missing:
            run.errors += validator.missing
            return
        if workers and can_fork():
            ForkedImport(run, validator, chunk_rows, workers, progress).run()
            return
        writer = ChunkWriter(run.new_records, progress=progress)
        for start in validator.starts(chunk_rows):
            rows, errors = validator.validate(start, start + chunk_rows)
            run.errors += errors
            if run.refused:
                continue  # nothing will be written: validate the rest for the report
            _write_chunk(run, writer, rows)

    return _import(source, actor, skip_invalid, progress, write, allow_updates)


def _write_chunk(run: ImportRun, writer: ChunkWriter, rows: Sequence[ValidatedRow]) -> None:
    """Sort a chunk's valid rows and write the new ones in this process."""
    hasher = run.new_records.hasher
    keys = [keyed_record_key(hasher, run.new_records.source.pk, row) for row in rows]
    new, _ = run.sort([(key, row.provenance) for key, row in zip(keys, rows, strict=True)], rows)
    writer.add([(keys[n], rows[n]) for n in new])


def _import(
    source: Source,
    actor: Actor,
    skip_invalid: bool,
    progress: Callable[[int], None] | None,
    write: Callable[[ImportRun], None],
    allow_updates: bool = True,
) -> tuple[ImportResult, list[RowError]]:
    """The transaction around an import: ``write`` validates (or takes) the rows and writes
    the new records; then the changed records are updated and the import is audited."""
    with collector_paused(), larger_page_cache(IMPORT_PAGE_CACHE_MB), transaction.atomic():
        # Lock the project row: pseudonyms are numbered in order, one import at a time.
        Project.objects.select_for_update().filter(pk=source.project_id).exists()
        chain = open_chain(actor)
        run = ImportRun(
            source, NewRecords(source, Lookups.for_source(source), chain), skip_invalid, progress
        )
        write(run)
        if run.refused:
            raise RowsFailed(run.errors)  # rolls back whatever was written
        close_chain(chain)
        run.result.fields_changed = field_changes(source, run.changed)
        if run.changed and not allow_updates:
            result = run.result
            raise UpdatesNotAllowed(  # rolls back the new records written so far
                ChangeSummary(
                    result.created, result.updated, result.unchanged, result.fields_changed
                )
            )
        # After the new records: a row repeated in the file with other values updates the
        # record its first occurrence created.
        for key, row in run.changed:
            _update(_record(source, key), row, actor, run.new_records.hasher)
            if progress is not None:
                progress(1)
        result = run.result
        result.skipped_rows = sorted({error.row for error in run.errors})
        record_event(
            actor,
            "cases.import",
            source,
            project_id=source.project_id,
            details={
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "skipped": len(result.skipped_rows),
                "fields_changed": result.fields_changed,
            },
        )
    return result, run.errors


def _record(source: Source, key: str) -> Record:
    """The record a re-imported row updates (the latest, if an old import made two)."""
    return Record.objects.filter(source=source, external_id=key).latest("pk")


def _update(record: Record, row: ValidatedRow, actor: Actor, hasher: RowHasher) -> None:
    before = {name: getattr(record, name) for name in ("sex", "gender_identity", "age_band")}
    values = record_attributes(row.attributes)
    record.nationality = resolve_code(Nationality, values.pop("nationality", ""), "nationality")
    record.language = resolve_code(Language, values.pop("language", ""), "language")
    for name, value in values.items():
        setattr(record, name, value)
    record.raw_hash = hasher.row_hash(row.provenance.digest)  # the row itself is resealed below
    record.save()
    RecordIdentity.objects.filter(record=record).delete()
    seal_identity(record, identity_fields(row)).save()
    changed = sorted(name for name, value in before.items() if getattr(record, name) != value)
    record_event(
        actor,
        "cases.record.update",
        record,
        project_id=record.project_id,
        details={
            "source": record.source_id,
            "attributes_changed": changed,
            "identity_resealed": True,
        },
    )


def source_named(project: Project, name: str, kind: str, actor: Actor) -> Source:
    """The project's source called ``name``, created (of ``kind``) if it is new."""
    existing = Source.objects.filter(project=project, name=name).first()
    return existing or do_create_source(project, name, actor, kind=kind)
