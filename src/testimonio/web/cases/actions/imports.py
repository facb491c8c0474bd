"""Import validated rows into a source: all or nothing, idempotent, every record audited.

A row is found again by the source's own record id (or sheet and row number) and its hash: the
same row twice changes nothing, a changed row is updated (with an audit event naming the fields,
not their values). Until linkage says otherwise, each new record is its own person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from testimonio.errors import ValidationError
from testimonio.ingest.bulk_work import collector_paused
from testimonio.ingest.validation import Attributes, RowError, ValidatedRow
from testimonio.web.audit.log import Actor, PendingEvent, append_events, record_event
from testimonio.web.bulk_insert import larger_page_cache
from testimonio.web.cases.bulk_records import BulkWriter, Lookups, create_records
from testimonio.web.cases.identity import IdentityFields, seal_identity
from testimonio.web.cases.models import (
    Language,
    Nationality,
    Project,
    Record,
    RecordIdentity,
    Source,
)
from testimonio.web.cases.models.people import AgeBand, GenderIdentity, Sex
from testimonio.web.cases.resolve import resolve_code


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_rows: list[int] = field(default_factory=list)


def do_import_rows(
    source: Source,
    rows: Sequence[ValidatedRow],
    errors: Sequence[RowError],
    actor: Actor,
    *,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Write ``rows`` to ``source`` in one transaction; refuse everything if any row failed.

    With ``skip_invalid`` the valid rows are written and the failed ones are left out (their
    reasons are in the caller's report).
    """
    if errors and not skip_invalid:
        failed = len({(error.sheet, error.row) for error in errors})
        raise ValidationError(
            f"{failed} row(s) failed validation, so nothing was imported; see the report "
            "(or import the valid rows with --skip-invalid)",
            file=errors[0].file,
        )
    result = ImportResult(skipped_rows=sorted({error.row for error in errors}))
    with collector_paused(), larger_page_cache(), transaction.atomic():
        # Lock the project row: pseudonyms are numbered in order, one import at a time.
        Project.objects.select_for_update().filter(pk=source.project_id).exists()
        writer = BulkWriter(source, Lookups.for_source(source))
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            events = _import_batch(writer, batch, actor, result)
            append_events(actor, events)
            if progress is not None:
                progress(len(batch))
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
    return result


BATCH = 5000


def _import_batch(
    writer: BulkWriter, rows: Sequence[ValidatedRow], actor: Actor, result: ImportResult
) -> list[PendingEvent]:
    """New rows in bulk; changed rows one by one (they are few); unchanged rows left alone."""
    keyed = [(_key(row), row) for row in rows]
    existing = writer.existing
    new = [(key, row) for key, row in keyed if key not in existing]
    for key, row in keyed:
        if key not in existing:
            continue
        if existing[key] == row.provenance.row_hash:
            result.unchanged += 1
        else:
            _update(_record(writer, key), row, actor)
            existing[key] = row.provenance.row_hash
            result.updated += 1
    result.created += len(new)
    if not new:
        return []
    existing.update((key, row.provenance.row_hash) for key, row in new)
    return create_records(
        writer,
        new,
        [_attributes(row.attributes) for _, row in new],
        [_identity(row) for _, row in new],
    )


def _record(writer: BulkWriter, key: str) -> Record:
    """The record a re-imported row updates (the latest, if an old import made two)."""
    return Record.objects.filter(source=writer.source, external_id=key).latest("pk")


def _key(row: ValidatedRow) -> str:
    return row.attributes.record_id or f"{row.provenance.sheet}:{row.provenance.row}"


def _update(record: Record, row: ValidatedRow, actor: Actor) -> None:
    before = {name: getattr(record, name) for name in ("sex", "gender_identity", "age_band")}
    values = _attributes(row.attributes)
    record.nationality = resolve_code(Nationality, values.pop("nationality", ""), "nationality")
    record.language = resolve_code(Language, values.pop("language", ""), "language")
    for name, value in values.items():
        setattr(record, name, value)
    record.raw_hash, record.row_number = row.provenance.row_hash, row.provenance.row
    record.save()
    RecordIdentity.objects.filter(record=record).delete()
    seal_identity(record, _identity(row)).save()
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


def _identity(row: ValidatedRow) -> IdentityFields:
    i = row.identity
    return IdentityFields(
        given_names=i.given_names,
        surnames=i.surnames,
        full_name=i.full_name,
        birth_date=i.birth_date.isoformat() if i.birth_date else "",
        phone=i.phone,
    )


SEXES, GENDER_IDENTITIES = frozenset(Sex.values), frozenset(GenderIdentity.values)


def _attributes(a: Attributes) -> dict[str, str]:
    return {
        "sex": a.sex if a.sex in SEXES else Sex.UNKNOWN,
        "gender_identity": a.gender_identity
        if a.gender_identity in GENDER_IDENTITIES
        else GenderIdentity.UNKNOWN,
        "age_band": _age_band(a.age),
        "nationality": a.nationality,
        "language": a.language,
    }


def _age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    for limit, band in (
        (12, AgeBand.UNDER_12),
        (18, AgeBand.TEEN),
        (30, AgeBand.YOUNG_ADULT),
        (45, AgeBand.ADULT),
        (60, AgeBand.MIDDLE),
    ):
        if age < limit:
            return band
    return AgeBand.OLDER
