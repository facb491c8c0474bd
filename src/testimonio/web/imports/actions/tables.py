"""Import a table (or rows validated beforehand) into a source: all or nothing, idempotent,
every record audited.

A row is found again by the source's own record id (or sheet and row number) and its hash: the
same row twice changes nothing, a changed row is updated (with an audit event naming the fields,
not their values). Until linkage says otherwise, each new record is its own person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from testimonio.errors import ValidationError
from testimonio.ingest.bulk_work import collector_paused
from testimonio.ingest.validation import (
    CHUNK_ROWS,
    ChunkValidator,
    Provenance,
    RowError,
    ValidatedRow,
)
from testimonio.web.audit.log import Actor, close_chain, open_chain, record_event
from testimonio.web.bulk_insert import larger_page_cache
from testimonio.web.cases.bulk_records import (
    Lookups,
    NewRecords,
    identity_fields,
    record_attributes,
    record_key,
)
from testimonio.web.cases.identity import seal_identity
from testimonio.web.cases.import_workers import ChunkWriter, ForkedImport, can_fork
from testimonio.web.cases.models import (
    Language,
    Nationality,
    Project,
    Record,
    RecordIdentity,
    Source,
)
from testimonio.web.cases.resolve import resolve_code

if TYPE_CHECKING:
    from testimonio.ingest.mapping import MappingProfile
    from testimonio.ingest.tables import Table
    from testimonio.vocab.bundle import Bundle


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_rows: list[int] = field(default_factory=list)


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
) -> ImportResult:
    """Write rows validated beforehand (the web's confirm step) to ``source`` in one
    transaction; refuse everything (:class:`RowsFailed`) if any row failed.

    With ``skip_invalid`` the valid rows are written and the failed ones are left out (their
    reasons are in the caller's report).
    """
    if errors and not skip_invalid:
        raise RowsFailed(errors)

    def write(run: ImportRun) -> None:
        writer = ChunkWriter(run.new_records, progress=progress)
        for start in range(0, len(rows), CHUNK_ROWS):
            _write_chunk(run, writer, rows[start : start + CHUNK_ROWS])

    result, _ = _import(source, actor, True, progress, write)
    result.skipped_rows = sorted({error.row for error in errors})
    return result


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
    chunk_rows: int = CHUNK_ROWS,
) -> tuple[ImportResult, list[RowError]]:
    """Validate ``table`` and write it to ``source`` a chunk at a time, in one transaction.

    With ``workers`` (on SQLite), forked worker processes validate and build the chunks while
    this process writes finished ones (:mod:`~testimonio.web.cases.import_workers`); without,
    each chunk is validated and written in turn. If any row fails and ``skip_invalid`` is not
    set, writing stops, the rest is still validated, everything is rolled back and
    :class:`RowsFailed` carries every error; with it, the failed rows are left out and returned
    with the result. ``chunk_rows`` rows are validated and written together.
    """
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

    return _import(source, actor, skip_invalid, progress, write)


def _write_chunk(run: ImportRun, writer: ChunkWriter, rows: Sequence[ValidatedRow]) -> None:
    """Sort a chunk's valid rows and write the new ones in this process."""
    keys = [record_key(row) for row in rows]
    new, _ = run.sort([(key, row.provenance) for key, row in zip(keys, rows, strict=True)], rows)
    writer.add([(keys[n], rows[n]) for n in new])


class ImportRun:
    """One import's state inside its transaction: what is known of the source, the counts,
    the errors so far, the rows that change a record, and the new records' writer state."""

    def __init__(
        self,
        source: Source,
        new_records: NewRecords,
        skip_invalid: bool,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.new_records, self.skip_invalid, self.progress = new_records, skip_invalid, progress
        self.result = ImportResult()
        self.errors: list[RowError] = []
        self.changed: list[tuple[str, ValidatedRow]] = []
        # The source's records already here (key -> row hash), read once per import; then
        # also this import's rows (key -> provenance, hashed only if the key comes again).
        self.known: dict[str, str | Provenance] = dict(
            Record.objects.filter(source=source).values_list("external_id", "raw_hash")
        )

    @property
    def refused(self) -> bool:
        """Rows failed and the import is all or nothing: nothing will be written."""
        return bool(self.errors) and not self.skip_invalid

    def sort(
        self, keyed: Sequence[tuple[str, str | Provenance]], rows: Sequence[ValidatedRow] | None
    ) -> tuple[list[int], list[int]]:
        """Positions of the rows to create and of the rows that change a record, given each
        valid row's key (the source's record id, else sheet and row) and its hash (or its
        provenance, which makes the hash when asked); counts the unchanged rows. ``rows``
        (when this process holds them) are kept for the changes."""
        new, changed, unchanged = [], [], 0
        known = self.known
        for position, (key, digest) in enumerate(keyed):
            before = known.get(key)
            if before is not None:
                if _hash(before) == _hash(digest):
                    unchanged += 1
                    continue
                changed.append(position)
                if rows is not None:
                    self.changed.append((key, rows[position]))
            else:
                new.append(position)
            known[key] = digest
        result = self.result
        result.created, result.updated = result.created + len(new), result.updated + len(changed)
        result.unchanged += unchanged
        if unchanged and self.progress is not None:
            self.progress(unchanged)
        return new, changed


def _hash(value: str | Provenance) -> str:
    return value if isinstance(value, str) else value.row_hash


def _import(
    source: Source,
    actor: Actor,
    skip_invalid: bool,
    progress: Callable[[int], None] | None,
    write: Callable[[ImportRun], None],
) -> tuple[ImportResult, list[RowError]]:
    """The transaction around an import: ``write`` validates (or takes) the rows and writes
    the new records; then the changed records are updated and the import is audited."""
    with collector_paused(), larger_page_cache(), transaction.atomic():
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
        # After the new records: a row repeated in the file with other values updates the
        # record its first occurrence created.
        for key, row in run.changed:
            _update(_record(source, key), row, actor)
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
            },
        )
    return result, run.errors


def _record(source: Source, key: str) -> Record:
    """The record a re-imported row updates (the latest, if an old import made two)."""
    return Record.objects.filter(source=source, external_id=key).latest("pk")


def _update(record: Record, row: ValidatedRow, actor: Actor) -> None:
    before = {name: getattr(record, name) for name in ("sex", "gender_identity", "age_band")}
    values = record_attributes(row.attributes)
    record.nationality = resolve_code(Nationality, values.pop("nationality", ""), "nationality")
    record.language = resolve_code(Language, values.pop("language", ""), "language")
    for name, value in values.items():
        setattr(record, name, value)
    record.raw_hash, record.row_number = row.provenance.row_hash, row.provenance.row
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
            "row": row.provenance.row,
            "attributes_changed": changed,
            "identity_resealed": True,
        },
    )
