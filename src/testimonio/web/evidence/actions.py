"""Every change to evidence: register a document (with its custody event), record custody."""

from __future__ import annotations

import hashlib
import uuid

from django.db import transaction

from testimonio.crypto import Key, SealContext, seal_value
from testimonio.errors import InputError
from testimonio.ingest import Limits
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Person, Project, Source
from testimonio.web.evidence.models import CustodyAction, CustodyEvent, Document
from testimonio.web.evidence.store import document_key, document_store, storage_name
from testimonio.web.evidence.uploads import check_document

DERIVATIVE_KINDS = ("redacted", "text")


def do_register_document(
    project: Project,
    data: bytes,
    original_name: str,
    actor: Actor,
    *,
    source: Source | None = None,
    person: Person | None = None,
    limits: Limits | None = None,
) -> Document:
    """Check, hash, encrypt and store an original document; record who received it from where.

    The same bytes received again (from another source, say) are one document with a second
    custody event, not a second copy.
    """
    kind = check_document(data, original_name, limits)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(project=project, sha256=sha256, derived_from=None).first()
    if existing is not None:
        note = f"received again, from source {source.pk}" if source else "received again"
        do_record_custody(existing, CustodyAction.RECEIVED, actor, note=note)
        return existing
    document = _new_document(project, data, kind.content_type, actor, source, person)
    with transaction.atomic():
        key = _store(document, data, storage_name(project.pk, sha256))
        name_context = SealContext("evidence.document", "original_name", str(document.uuid))
        document.original_name = seal_value(original_name, name_context, key)
        document.save()
        CustodyEvent.objects.create(
            document=document,
            action=CustodyAction.RECEIVED,
            actor=_user(actor),
            note=f"from source {source.pk}" if source else "",
        )
        record_event(
            actor,
            "evidence.document.register",
            document,
            project_id=project.pk,
            details={
                "sha256": sha256,
                "size": len(data),
                "type": kind.content_type,
                "source": source.pk if source else None,
            },
        )
    return document


def do_register_derivative(original: Document, data: bytes, kind: str, actor: Actor) -> Document:
    """Store a copy made from ``original`` (redacted, extracted text): the original never changes.

    The copy points to its original, and the original's custody log records that it was made.
    """
    if kind not in DERIVATIVE_KINDS:
        raise InputError(f"unknown kind of copy {kind!r}; use {', '.join(DERIVATIVE_KINDS)}")
    file_kind = check_document(data, f"{kind} copy of document {original.pk}")
    copy = _new_document(
        original.project, data, file_kind.content_type, actor, original.source, original.person
    )
    copy.derived_from = original
    with transaction.atomic():
        _store(copy, data, storage_name(original.project_id, f"{copy.uuid}|{copy.sha256}"))
        copy.save()
        CustodyEvent.objects.create(
            document=original,
            action=CustodyAction.DERIVED,
            actor=_user(actor),
            note=f"{kind} copy: document {copy.pk}",
        )
        record_event(
            actor,
            "evidence.document.derive",
            copy,
            project_id=original.project_id,
            details={"original": original.pk, "kind": kind, "sha256": copy.sha256},
        )
    return copy


def do_record_custody(document: Document, action: str, actor: Actor, *, note: str = "") -> None:
    """Add a custody event (viewed, exported, verified) and its audit event."""
    with transaction.atomic():
        event = CustodyEvent.objects.create(
            document=document, action=action, actor=_user(actor), note=note
        )
        record_event(
            actor,
            f"evidence.document.{action}",
            document,
            project_id=document.project_id,
            details={"custody_event": event.pk},
        )


def _user(actor: Actor):  # type: ignore[no-untyped-def]
    return actor if actor is not None and actor.is_authenticated else None


def _new_document(
    project: Project,
    data: bytes,
    content_type: str,
    actor: Actor,
    source: Source | None,
    person: Person | None,
) -> Document:
    return Document(
        project=project,
        source=source,
        person=person,
        uuid=uuid.uuid4(),
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        content_type=content_type,
        received_by=_user(actor),
    )


def _store(document: Document, data: bytes, name: str) -> Key:
    """Encrypt ``data`` under a new data key of ``document`` into the store; return the key."""
    key = document_key(document, create=True)
    document.storage_name = name
    document_store().put(data, name, key, str(document.uuid))
    return key
