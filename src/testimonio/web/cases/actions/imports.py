"""Import a table (or rows validated beforehand) into a source: all or nothing, idempotent,
every record audited.

A row is found again by the source's own record id (or sheet and row number) and its hash: the
same row twice changes nothing, a changed row is updated (with an audit event naming the fields,
not their values). Until linkage says otherwise, each new record is its own person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from testimonio.errors import ValidationError
from testimonio.ingest.bulk_work import collector_paused
from testimonio.ingest.validation import CHUNK_ROWS, RowError, ValidatedRow, iter_validated
from testimonio.web.audit.log import Actor, close_chain, open_chain, record_event
from testimonio.web.bulk_insert import larger_page_cache
from testimonio.web.cases.bulk_records import (
    Lookups,
    NewRecords,
    identity_fields,
    record_attributes,
)
from testimonio.web.cases.identity import seal_identity
from testimonio.web.cases.import_workers import ChunkWriter
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


Chunks = Iterable[tuple[Sequence[ValidatedRow], Sequence[RowError]]]


def do_import_rows(
    source: Source,
    rows: Sequence[ValidatedRow],
    errors: Sequence[RowError],
    actor: Actor,
    *,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    workers: int = 0,
) -> ImportResult:
    """Write rows validated beforehand (the web's confirm step) to ``source`` in one
    transaction; refuse everything (:class:`RowsFailed`) if any row failed.

    With ``skip_invalid`` the valid rows are written and the failed ones are left out (their
    reasons are in the caller's report).
    """
    if errors and not skip_invalid:
        raise RowsFailed(errors)
    chunks = ((rows[start : start + CHUNK_ROWS], ()) for start in range(0, len(rows), CHUNK_ROWS))
    result, _ = _import_chunks(source, chunks, actor, True, progress, workers)
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

    Each chunk is written (by ``workers`` worker processes where that helps, see
    :mod:`~testimonio.web.cases.import_workers`) while the next is validated. If any row fails
    and ``skip_invalid`` is not set, writing stops, the rest is still validated, everything is
    rolled back and :class:`RowsFailed` carries every error; with it, the failed rows are left
    out and returned with the result. ``chunk_rows`` rows are validated and written together.
    """
    chunks = iter_validated(table, profile, vocabulary, chunk_rows=chunk_rows)
    return _import_chunks(source, chunks, actor, skip_invalid, progress, workers)


def _import_chunks(
    source: Source,
    chunks: Chunks,
    actor: Actor,
    skip_invalid: bool,
    progress: Callable[[int], None] | None,
    workers: int,
) -> tuple[ImportResult, list[RowError]]:
    result = ImportResult()
    errors: list[RowError] = []
    changed: list[tuple[str, ValidatedRow]] = []
    with collector_paused(), larger_page_cache(), transaction.atomic():
        # Lock the project row: pseudonyms are numbered in order, one import at a time.
        Project.objects.select_for_update().filter(pk=source.project_id).exists()
        # The source's records already here (key -> row hash), read once per import.
        known: dict[str, str | ValidatedRow] = dict(
            Record.objects.filter(source=source).values_list("external_id", "raw_hash")
        )
        chain = open_chain(actor)
        writer = ChunkWriter(
            NewRecords(source, Lookups.for_source(source), chain),
            workers=workers,
            progress=progress,
        )
        try:
            for rows, row_errors in chunks:
                errors += row_errors
                if errors and not skip_invalid:
                    writer.abort()  # nothing will be written: validate the rest for the report
                    continue
                unchanged = result.unchanged
                writer.add(_sort(rows, known, result, changed))
                if progress is not None and result.unchanged > unchanged:
                    progress(result.unchanged - unchanged)
            if errors and not skip_invalid:
                raise RowsFailed(errors)
            writer.finish()
        except BaseException:
            writer.abort()
            raise
        close_chain(chain)
        # After the new records: a row repeated in the file with other values updates the
        # record its first occurrence created.
        for key, row in changed:
            _update(_record(source, key), row, actor)
            if progress is not None:
                progress(1)
        result.skipped_rows = sorted({error.row for error in errors})
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
    return result, errors


def _sort(
    rows: Sequence[ValidatedRow],
    known: dict[str, str | ValidatedRow],
    result: ImportResult,
    changed: list[tuple[str, ValidatedRow]],
) -> list[tuple[str, ValidatedRow]]:
    """The rows to create (key, row), in file order; adds the rows that change a record to
    ``changed`` and counts them and the unchanged ones. A row is known by its key (the
    source's record id, else sheet and row) and its hash: the stored hash of a record already
    here, or the row that came earlier in this import (hashed only if its key comes again)."""
    new = []
    for row in rows:
        key = _key(row)
        before = known.get(key)
        if before is None:
            new.append((key, row))
            result.created += 1
        else:
            earlier = before if isinstance(before, str) else before.provenance.row_hash
            if earlier == row.provenance.row_hash:
                result.unchanged += 1
                continue
            changed.append((key, row))
            result.updated += 1
        known[key] = row
    return new


def _record(source: Source, key: str) -> Record:
    """The record a re-imported row updates (the latest, if an old import made two)."""
    return Record.objects.filter(source=source, external_id=key).latest("pk")


def _key(row: ValidatedRow) -> str:
    return row.attributes.record_id or f"{row.provenance.sheet}:{row.provenance.row}"


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
