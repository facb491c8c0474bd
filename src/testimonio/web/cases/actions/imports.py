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
from testimonio.ingest.validation import Attributes, RowError, ValidatedRow
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.actions.encounters import do_code_encounter, do_record_encounter
from testimonio.web.cases.actions.records import do_create_person, do_create_record
from testimonio.web.cases.identity import IdentityFields, seal_identity
from testimonio.web.cases.models import Language, Nationality, Record, RecordIdentity, Source
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
    with transaction.atomic():
        for row in rows:
            _import_row(source, row, actor, result)
            if progress is not None:
                progress(1)
        record_event(
            actor,
            "cases.import",
            source,
            project_id=source.project_id,
            details={
                "file": rows[0].provenance.file if rows else "",
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "skipped": len(result.skipped_rows),
            },
        )
    return result


def _import_row(source: Source, row: ValidatedRow, actor: Actor, result: ImportResult) -> None:
    key = row.attributes.record_id or f"{row.provenance.sheet}:{row.provenance.row}"
    existing = Record.objects.filter(source=source, external_id=key).first()
    if existing is None:
        _create(source, row, key, actor)
        result.created += 1
    elif existing.raw_hash == row.provenance.row_hash:
        result.unchanged += 1
    else:
        _update(existing, row, actor)
        result.updated += 1


def _create(source: Source, row: ValidatedRow, key: str, actor: Actor) -> None:
    person = do_create_person(source.project, actor)
    record = do_create_record(
        source,
        actor,
        person=person,
        identity=_identity(row),
        attributes=_attributes(row.attributes),
        provenance={
            "file_name": row.provenance.file,
            "sheet": row.provenance.sheet,
            "row_number": row.provenance.row,
            "raw_hash": row.provenance.row_hash,
            "external_id": key,
        },
    )
    _record_encounter(person, record, row, actor)


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


def _record_encounter(person, record: Record, row: ValidatedRow, actor: Actor) -> None:  # type: ignore[no-untyped-def]
    a = row.attributes
    if not (a.encounter_date or a.port or a.tactics or a.outcome):
        return
    encounter = do_record_encounter(
        person,
        actor,
        record=record,
        date=a.encounter_date.isoformat() if a.encounter_date else "",
        port=a.port,
        attempt_number=a.attempt_number,
        fear_expressed=a.fear_expressed or "unknown",
        outcome=a.outcome,
        narrative=row.identity.narrative,
    )
    for code in dict.fromkeys(a.tactics):
        do_code_encounter(encounter, code, actor, evidence=f"row {row.provenance.row}")


def _identity(row: ValidatedRow) -> IdentityFields:
    i = row.identity
    return IdentityFields(
        given_names=i.given_names,
        surnames=i.surnames,
        full_name=i.full_name,
        birth_date=i.birth_date.isoformat() if i.birth_date else "",
        phone=i.phone,
    )


def _attributes(a: Attributes) -> dict[str, str]:
    return {
        "sex": a.sex if a.sex in Sex.values else Sex.UNKNOWN,
        "gender_identity": a.gender_identity
        if a.gender_identity in GenderIdentity.values
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
