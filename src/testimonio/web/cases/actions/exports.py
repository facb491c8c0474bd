"""Export a project's records and encounters as a spreadsheet of what a role may see.

By default an export is pseudonymous: person pseudonyms, the source, coded attributes and
encounters; no file name, sheet, row number or the source's own id, which with the source's
original list would name each person as surely as a name. Nothing in it names anyone, and it
says nothing a spreadsheet would execute (every cell goes through
:func:`~testimonio.ingest.report.safe_cell`, so a name typed as ``=HYPERLINK(...)`` stays
text). With ``identities`` the identity fields are added, only as the identity policy allows
(:mod:`testimonio.web.accounts.identity_policy`: attorneys and administrators with a second
factor verified in this session, a stated reason, at most the web cap; or the operator at the
command line, with a reason); each record whose identity is opened gets its own reveal event, so
an auditor can ask who exported a given person, and each record's provenance (file, sheet, row)
is added too. The export itself is one ``cases.export`` event naming the format, the counts and,
with identities, the reason; the project's administrators get a notice of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from django.db import transaction

from testimonio.ingest import rows_as_bytes, write_rows
from testimonio.partial_dates import DatePrecision
from testimonio.web.accounts.identity_policy import (
    EXPORT_REASON,
    Requester,
    authorize_identity_export,
    notify_identity_export,
)
from testimonio.web.audit.log import Actor, PendingEvent, record_event, record_events
from testimonio.web.cases.models import Coding, Encounter, Project, Record
from testimonio.web.keys.identity import IdentityFields, open_identity

__all__ = [
    "EXPORT_COLUMNS",
    "IDENTITY_COLUMNS",
    "ExportResult",
    "IdentityRequest",
    "do_export_project",
    "do_export_project_bytes",
]

#: One row per encounter (a record without one has a row of its own with the encounter empty).
EXPORT_COLUMNS = (
    "person",
    "source",
    "record",
    "sex",
    "gender_identity",
    "age_band",
    "nationality",
    "language",
    "encounter",
    "encounter_date",
    "date_precision",
    "port",
    "attempt_number",
    "fear_expressed",
    "outcome",
    "tactics",
)
IDENTITY_COLUMNS = (
    *(field.name for field in fields(IdentityFields) if field.name != "provenance"),
    "file",
    "sheet",
    "row",
)


@dataclass(frozen=True)
class ExportResult:
    rows: int
    records: int
    identities: bool


@dataclass(frozen=True)
class IdentityRequest:
    """An export's request for identities: who asks (as the identity policy sees them) and why."""

    requester: Requester
    reason: str


def do_export_project(
    project: Project, actor: Actor, path: Path, *, identities: IdentityRequest | None = None
) -> ExportResult:
    """Write ``project``'s export to ``path`` (.csv or .xlsx) and audit it; with
    ``identities``, only if the identity policy allows it (else PermissionDenied, audited)."""
    result, header, rows = _audited_table(project, actor, path.suffix.lower(), identities)
    write_rows(header, rows, path)
    return result


def do_export_project_bytes(
    project: Project, actor: Actor, suffix: str, *, identities: IdentityRequest | None = None
) -> tuple[ExportResult, bytes]:
    """The same export in memory (``suffix`` ``.csv`` or ``.xlsx``), for a web download."""
    result, header, rows = _audited_table(project, actor, suffix, identities)
    return result, rows_as_bytes(header, rows, suffix)


def _audited_table(
    project: Project, actor: Actor, suffix: str, asked: IdentityRequest | None
) -> tuple[ExportResult, tuple[str, ...], list[tuple[object, ...]]]:
    """The export's rows, with its events recorded in the same transaction as the reading,
    before anything is written: an export that fails half-way is still on record."""
    identities = asked is not None
    if asked is not None:
        count = Record.objects.filter(project=project).count()
        authorize_identity_export(asked.requester, project, count, asked.reason)
    with transaction.atomic():
        records = list(
            Record.objects.filter(project=project)
            .select_related("person", "source", "nationality", "language")
            .order_by("person__pseudonym", "source__name", "pk")
        )
        opened = {record.pk: open_identity(record) for record in records} if identities else {}
        if opened:
            record_events(
                actor,
                [
                    PendingEvent(
                        "cases.identity.reveal", record, project.pk, {"reason": EXPORT_REASON}
                    )
                    for record in records
                ],
            )
        rows = list(_rows(project, records, opened))
        details: dict[str, object] = {
            "format": suffix.lstrip("."),
            "rows": len(rows),
            "records": len(records),
            "identities": identities,
        }
        if asked is not None:
            details["reason"] = asked.reason.strip()
            notify_identity_export(project, asked.requester, details)
        record_event(actor, "cases.export", project, project_id=project.pk, details=details)
    header = EXPORT_COLUMNS + (IDENTITY_COLUMNS if identities else ())
    return ExportResult(rows=len(rows), records=len(records), identities=identities), header, rows


def _rows(
    project: Project, records: list[Record], opened: dict[int, IdentityFields]
) -> Iterator[tuple[object, ...]]:
    encounters: dict[int, list[Encounter]] = {}
    for encounter in (
        Encounter.objects.filter(project=project, record__isnull=False)
        .select_related("port", "outcome")
        .order_by("date_year", "date_month", "date_day", "pk")
    ):
        encounters.setdefault(encounter.record_id or 0, []).append(encounter)
    tactics: dict[int, list[str]] = {}
    for encounter_id, code in (
        Coding.objects.filter(encounter__project=project)
        .order_by("term__code")
        .values_list("encounter_id", "term__code")
    ):
        tactics.setdefault(encounter_id, []).append(code)
    for record in records:
        base = (
            record.person.pseudonym if record.person else "",
            record.source.name,
            str(record.uuid),
            record.sex,
            record.gender_identity,
            record.age_band,
            record.nationality.code if record.nationality else "",
            record.language.code if record.language else "",
        )
        identity = _identity_cells(opened[record.pk]) if record.pk in opened else ()
        own: list[Encounter | None] = list(encounters.get(record.pk, [])) or [None]
        for each in own:
            yield base + _encounter_cells(each, tactics) + identity


def _encounter_cells(
    encounter: Encounter | None, tactics: dict[int, list[str]]
) -> tuple[object, ...]:
    if encounter is None:
        return ("",) * 8
    precision = DatePrecision(encounter.date_precision)
    date = encounter.date.isoformat() if precision is not DatePrecision.UNKNOWN else ""
    return (
        str(encounter.uuid),
        date,
        precision.value,
        encounter.port.code if encounter.port else "",
        encounter.attempt_number if encounter.attempt_number is not None else "",
        encounter.fear_expressed,
        encounter.outcome.code if encounter.outcome else "",
        " ".join(tactics.get(encounter.pk, [])),
    )


def _identity_cells(identity: IdentityFields) -> tuple[object, ...]:
    origin = identity.origin()
    values = (getattr(identity, name) for name in IDENTITY_COLUMNS[:-3])
    return (*values, origin.get("file", ""), origin.get("sheet", ""), origin.get("row", ""))
