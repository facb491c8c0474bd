"""Every change to evidence: register a document (with its custody event), record custody."""

from __future__ import annotations

import hashlib
import uuid

from django.db import transaction

from testimonio.crypto import SealContext, seal_value
from testimonio.ingest.file_checks import Limits, check_file
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Person, Project, Source
from testimonio.web.evidence.models import CustodyAction, CustodyEvent, Document
from testimonio.web.evidence.store import document_key, document_store, storage_name


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
    kind = check_file(data, original_name, limits)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(project=project, sha256=sha256, derived_from=None).first()
    if existing is not None:
        note = f"received again, from source {source.pk}" if source else "received again"
        do_record_custody(existing, CustodyAction.RECEIVED, actor, note=note)
        return existing
    document = Document(
        project=project,
        source=source,
        person=person,
        uuid=uuid.uuid4(),
        sha256=sha256,
        size_bytes=len(data),
        content_type=kind.content_type,
        received_by=_user(actor),
    )
    with transaction.atomic():
        key = document_key(document, create=True)
        document.storage_name = storage_name(project.pk, sha256)
        name_context = SealContext("evidence.document", "original_name", str(document.uuid))
        document.original_name = seal_value(original_name, name_context, key)
        document_store().put(data, document.storage_name, key, str(document.uuid))
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
