"""The web import's writes: keep an upload as a sealed draft, review it, import it or drop it.

Every step is one transaction with its audit event. A file the readers refuse writes nothing;
a draft is deleted with its data key on confirm, on cancel and when it expires (24 hours), so
an upload never outlives the import it was for. Showing a draft's rows is a reveal and audited.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from testimonio.config import load_config
from testimonio.errors import InputError, ValidationError
from testimonio.ingest import (
    CheckedTable,
    MappingProfile,
    confirm_date_orders,
    propose_mapping,
    read_upload,
)
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Project
from testimonio.web.cases.models.project import SourceKind
from testimonio.web.cases.vocabulary_bundle import bundle_of
from testimonio.web.imports.actions.tables import (
    ImportResult,
    do_import_rows,
    do_import_table,
    source_named,
)
from testimonio.web.imports.draft_files import (
    check_draft,
    destroy_draft_key,
    read_draft,
    seal_profile,
    seal_upload,
)
from testimonio.web.imports.models import DraftStatus, ImportDraft


def do_create_import_draft(
    project: Project, data: bytes, name: str, actor: Actor, *, source_name: str, source_kind: str
) -> ImportDraft:
    """Check and read the upload, propose a mapping, and keep the file sealed as a draft.

    A file the readers refuse raises their InputError before anything is written.
    """
    source_name = source_name.strip()
    if not source_name:
        raise ValidationError("name the source this file belongs to", column="source")
    if source_kind not in SourceKind.values:
        raise ValidationError(f"unknown source kind {source_kind!r}", column="kind")
    table = read_upload(data, name, load_config().max_upload_mb).table()
    profile = propose_mapping(table, bundle_of(project.vocabulary), source=source_name)
    draft = ImportDraft(
        project=project,
        source_name=source_name,
        source_kind=source_kind,
        sheet=table.sheet,
        uploaded_by=actor if isinstance(actor, User) else None,
    )
    with transaction.atomic():
        seal_upload(draft, data, name)
        seal_profile(draft, profile)
        draft.save()
        _record(actor, "cases.import_draft.create", draft, size=len(data), rows=len(table.rows))
    return draft


def do_choose_import_sheet(draft: ImportDraft, sheet: str, actor: Actor) -> None:
    """Work on another sheet of the workbook: its mapping is proposed afresh."""
    table = read_draft(draft).table(sheet)
    profile = propose_mapping(table, bundle_of(draft.project.vocabulary), draft.source_name)
    draft.sheet, draft.status = sheet, DraftStatus.UPLOADED
    seal_profile(draft, profile)
    with transaction.atomic():
        draft.save(update_fields=["sheet", "profile", "status"])
        _record(actor, "cases.import_draft.sheet", draft)


def do_set_import_mapping(draft: ImportDraft, profile: MappingProfile, actor: Actor) -> None:
    """Keep the reviewed mapping (edited on the page or uploaded as a saved profile)."""
    profile.sheet = draft.sheet or None
    draft.status = DraftStatus.MAPPED
    seal_profile(draft, profile)
    with transaction.atomic():
        draft.save(update_fields=["profile", "status"])
        _record(actor, "cases.import_draft.mapping", draft, fields=sorted(profile.fields))


def do_record_import_preview(draft: ImportDraft, actor: Actor, *, rows_shown: int) -> None:
    """Audit that ``actor`` was shown the first rows of the upload (identity values)."""
    with transaction.atomic():
        _record(actor, "cases.import_draft.preview", draft, rows_shown=rows_shown)


def do_confirm_import(
    draft: ImportDraft,
    actor: Actor,
    *,
    skip_invalid: bool,
    checked: CheckedTable | None = None,
    allow_updates: bool = False,
) -> ImportResult:
    """Import the draft all or nothing (or only its valid rows), then delete it and its key.

    ``checked`` is the draft as the page just read it (saves reading the file twice). Its rows
    are validated again as they are written, a chunk at a time, as on the command line
    (:func:`do_import_table`), so no more than a chunk of validated rows is held at once;
    rows ``checked`` holds already are written as they are. A refused import (rows failed, no
    ``skip_invalid``) raises and writes nothing: the draft stays for another try. So does one
    that would update existing records of the source when ``allow_updates`` (the page's
    "update N existing records" tick) is not given.
    """
    checked = checked or check_draft(draft, keep_rows=False)
    checked.profile.require_some_field("the upload")
    confirm_date_orders(
        checked.table, checked.profile, None, how="choose each one's order in the mapping review"
    )
    with transaction.atomic():
        if not ImportDraft.objects.select_for_update().filter(pk=draft.pk).exists():
            raise InputError("this import was already confirmed or cancelled")
        source = source_named(draft.project, draft.source_name, draft.source_kind, actor)
        if checked.rows:
            result = do_import_rows(
                source,
                checked.rows,
                checked.errors,
                actor,
                skip_invalid=skip_invalid,
                allow_updates=allow_updates,
            )
        else:
            result, _ = do_import_table(
                source,
                checked.table,
                checked.profile,
                bundle_of(draft.project.vocabulary),
                actor,
                skip_invalid=skip_invalid,
                allow_updates=allow_updates,
            )
        _delete(draft, actor, "cases.import_draft.confirm")
    return result


def do_cancel_import_draft(draft: ImportDraft, actor: Actor) -> None:
    """Drop the upload: the draft and its data key are deleted."""
    with transaction.atomic():
        _delete(draft, actor, "cases.import_draft.cancel")


def do_purge_expired_import_drafts(actor: Actor, *, now: datetime | None = None) -> int:
    """Delete every draft past its expiry, with its key; returns how many were purged."""
    expired = list(ImportDraft.objects.filter(expires_at__lte=now or timezone.now()))
    if expired:  # no write transaction (SQLite: the database's write lock) when none expired
        with transaction.atomic():
            for draft in expired:
                _delete(draft, actor, "cases.import_draft.expire")
    return len(expired)


def _delete(draft: ImportDraft, actor: Actor, action: str) -> None:
    _record(actor, action, draft)
    destroy_draft_key(draft)
    ImportDraft.objects.filter(pk=draft.pk).delete()


def _record(actor: Actor, action: str, draft: ImportDraft, **details: object) -> None:
    # The UUID too: the draft's row id is gone once the draft is deleted. Never the file name.
    details = {"draft": str(draft.uuid), **details}
    record_event(actor, action, draft, project_id=draft.project_id, details=details)
