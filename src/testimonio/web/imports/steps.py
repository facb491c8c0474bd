"""The memory-heavy steps of the web import, as functions a child process can run.

Why: reading an uploaded sheet, validating it, previewing what it changes and importing it
hold the whole file and its rows; run in the server process, that memory stays with the
server after the request (the C allocator keeps freed heap) and the server's peak grows with
the file. :mod:`testimonio.web.imports.child` runs each of these functions in a child process
of its own, which gives all of it back when it exits.

What must always hold: each function takes only what pickles small (primary keys, the
upload's bytes, a form's url-encoded data) and reloads the rows it needs, so it behaves the
same in the child as in the server process (where it runs inside a caller's transaction, see
:func:`~testimonio.web.imports.child.run_step`); each returns only what the page shows (the
first rows, the first problems, counts), never the table; every write is an action's, with
its audit event, exactly as the views made them before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils.translation import gettext

from testimonio.errors import TestimonioError
from testimonio.ingest import RowError, UnknownValue, describe, report_xlsx, unknown_values
from testimonio.partial_dates import date_order_is_ambiguous
from testimonio.web.cases.models import Project, Source
from testimonio.web.cases.vocabulary_bundle import bundle_of
from testimonio.web.imports.actions import (
    ImportResult,
    do_cancel_import_draft,
    do_choose_import_sheet,
    do_confirm_import,
    do_create_import_draft,
    do_record_import_preview,
)
from testimonio.web.imports.changes import ChangePreview, ChangeSummary
from testimonio.web.imports.draft_files import check_draft, draft_profile, read_draft
from testimonio.web.imports.forms import ConfirmForm, SheetForm
from testimonio.web.imports.models import ImportDraft

__all__ = [
    "STEPS",
    "MappingInputs",
    "PreviewPage",
    "ValidationPage",
    "actor_ref",
    "create_draft",
    "mapping_inputs",
    "preview_page",
    "problem_report",
    "validate_or_confirm",
]

PREVIEW_ROWS = 20
PROBLEMS_SHOWN = 50


def actor_ref(actor: object) -> int | None:
    """The acting user's primary key (None: no user), as a child reloads it."""
    return actor.pk if isinstance(actor, User) else None


def _actor(actor_pk: int | None) -> User | None:
    return None if actor_pk is None else User.objects.get(pk=actor_pk)


def _draft(draft_pk: int) -> ImportDraft:
    return ImportDraft.objects.select_related("project__vocabulary").get(pk=draft_pk)


def create_draft(
    project_pk: int,
    data: bytes,
    name: str,
    actor_pk: int | None,
    source_name: str,
    source_kind: str,
) -> UUID:
    """Read the upload, propose its mapping and keep it as a sealed draft; the draft's UUID."""
    project = Project.objects.get(pk=project_pk)
    draft = do_create_import_draft(
        project, data, name, _actor(actor_pk), source_name=source_name, source_kind=source_kind
    )
    return draft.uuid


@dataclass
class PreviewPage:
    """What the preview page shows of a draft: the file's name, format, sheets and the first
    rows of the chosen sheet (``None`` instead when a posted sheet was taken)."""

    name: str
    detected: str
    sheets: list[tuple[str, int]]
    header: list[str]
    row_count: int
    notes: list[str]
    rows: list[tuple[int, list[Any]]]


def preview_page(draft_pk: int, actor_pk: int | None, posted: str | None) -> PreviewPage | None:
    """The preview of a draft, its showing audited; or, when ``posted`` (url-encoded form data)
    chooses a sheet, that choice made (a new sheet's mapping proposed afresh) and ``None``."""
    draft = _draft(draft_pk)
    source_file = read_draft(draft)
    sheets = [table.sheet for table in source_file.tables]
    if posted is not None:
        form = SheetForm(QueryDict(posted), sheets=sheets)
        if form.is_valid():
            if form.cleaned_data["sheet"] != draft.sheet:
                do_choose_import_sheet(draft, form.cleaned_data["sheet"], _actor(actor_pk))
            return None
    table = source_file.table(draft.sheet or None)
    shown = list(zip(table.row_numbers[:PREVIEW_ROWS], table.rows[:PREVIEW_ROWS], strict=True))
    do_record_import_preview(draft, _actor(actor_pk), rows_shown=len(shown))
    return PreviewPage(
        name=source_file.name,
        detected=describe(source_file),
        sheets=[(each.sheet, len(each.rows)) for each in source_file.tables],
        header=list(table.header),
        row_count=len(table.rows),
        notes=list(table.notes),
        rows=[(number, list(row)) for number, row in shown],
    )


@dataclass
class MappingInputs:
    """What the mapping review needs of the file itself: its header, the wordings no code
    explains, and the date columns whose order must be chosen."""

    header: list[str]
    unknown: list[UnknownValue]
    ambiguous_dates: frozenset[str]


def mapping_inputs(draft_pk: int) -> MappingInputs:
    """Read the draft's sheet for the mapping review (nothing is written)."""
    draft = _draft(draft_pk)
    table = read_draft(draft).table(draft.sheet or None)
    profile = draft_profile(draft)
    return MappingInputs(
        header=list(table.header),
        unknown=unknown_values(table, profile, bundle_of(draft.project.vocabulary)),
        ambiguous_dates=frozenset(
            column for column in table.header if date_order_is_ambiguous(table.column(column))
        ),
    )


@dataclass
class ValidationPage:
    """The validation page's counts and first problems, what the import would change, and
    why it was refused (empty: not refused); ``result`` once imported, ``cancelled`` once
    the draft is dropped."""

    valid_rows: int = 0
    failed_rows: int = 0
    error_count: int = 0
    problems: list[RowError] = field(default_factory=list)
    changes: ChangeSummary = field(default_factory=ChangeSummary)
    refusal: str = ""
    result: ImportResult | None = None
    cancelled: bool = False


def validate_or_confirm(draft_pk: int, actor_pk: int | None, posted: str | None) -> ValidationPage:
    """Validate the draft and preview its changes, a chunk at a time; with ``posted`` (the
    confirm form, url-encoded), cancel it or import it (all or nothing, or valid rows only)."""
    draft = _draft(draft_pk)
    source = Source.objects.filter(project=draft.project, name=draft.source_name).first()
    preview = ChangePreview(source)
    checked = check_draft(draft, keep_rows=False, on_chunk=preview.add)
    changes = preview.summary()
    page = ValidationPage(
        valid_rows=checked.valid_rows,
        failed_rows=checked.failed_rows,
        error_count=len(checked.errors),
        problems=checked.errors[:PROBLEMS_SHOWN],
        changes=changes,
    )
    if posted is None:
        return page
    form = ConfirmForm(QueryDict(posted), updates=changes.updated)
    if not form.is_valid():
        return page
    actor = _actor(actor_pk)
    if form.cleaned_data["action"] == "cancel":
        do_cancel_import_draft(draft, actor)
        page.cancelled = True
        return page
    skip_invalid = form.cleaned_data["skip_invalid"]
    if checked.errors and not skip_invalid:
        page.refusal = gettext(
            "%(count)s row(s) failed validation, so nothing was imported. "
            "Correct the file or the mapping, or import the valid rows only."
        ) % {"count": checked.failed_rows}
        return page
    try:
        page.result = do_confirm_import(
            draft,
            actor,
            skip_invalid=skip_invalid,
            checked=checked,
            allow_updates=form.cleaned_data["allow_updates"],
        )
    except TestimonioError as error:
        page.refusal = str(error)
    return page


def problem_report(draft_pk: int) -> bytes:
    """Every problem of the draft as an XLSX (no cell values, formula-safe)."""
    return report_xlsx(check_draft(_draft(draft_pk), keep_rows=False).errors)


#: The steps a child may be asked to run, by name.
STEPS = {
    function.__name__: function
    for function in (
        create_draft,
        preview_page,
        mapping_inputs,
        validate_or_confirm,
        problem_report,
    )
}
