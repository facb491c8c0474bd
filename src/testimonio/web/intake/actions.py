"""The intake's one write: a testimony, saved whole or not at all, with its audit event.

A testimony is the person who gave it, the family members who travelled with them and one
or more encounters. It is written through the same ``cases`` actions as an import (identity
sealed on write, codes resolved against the project's vocabulary), inside one transaction:
a bad value anywhere leaves nothing behind. A second submit of the same form page (its
``submission`` token) returns the testimony already saved instead of saving it twice.

Drafts: an unfinished form is kept sealed (:mod:`testimonio.web.intake.drafts`) for its
author, one draft per form page, and deleted with its data key when the testimony is saved,
when its author discards it, or ``TESTIMONIO_INTAKE_DRAFT_DAYS`` after its last save.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from testimonio.config import load_config
from testimonio.errors import PermissionDenied, ValidationError
from testimonio.web.audit.log import (
    Actor,
    PendingEvent,
    append_events,
    record_event,
    record_events,
)
from testimonio.web.cases.actions import do_create_source
from testimonio.web.cases.models import Person, Project, Source
from testimonio.web.cases.models.project import SourceKind
from testimonio.web.intake.drafts import Payload, destroy_draft_key, seal_payload
from testimonio.web.intake.models import Companion, Intake, IntakeDraft
from testimonio.web.intake.testimony_rows import TestimonyRows, build_rows, write_rows
from testimonio.web.keys.identity import IdentityFields

#: The source every testimony entered by hand belongs to (one list, for estimation).
WEB_INTAKE_SOURCE = "Web intake"


@dataclass(frozen=True)
class PersonEntry:
    """One person as entered: identity (sealed on write) and pseudonymous attributes."""

    identity: IdentityFields = field(default_factory=IdentityFields)
    #: sex, gender_identity, age_band, nationality (ISO code), language (ISO 639-3 code)
    attributes: dict[str, str] = field(default_factory=dict)
    vulnerabilities: tuple[str, ...] = ()
    #: For a family member: how they are related to the one who testified.
    relationship: str = ""
    #: An existing person the user said this is ("same person"); None makes a new one.
    same_as: Person | None = None
    #: For a family member: was turned back with the person, so each encounter of the
    #: testimony is recorded for them too, as their own (their record, their codings).
    shared_encounters: bool = False


@dataclass(frozen=True)
class EncounterEntry:
    """One attempt at a port, as the person told it; codes are the vocabulary's."""

    date: str = ""
    port: str = ""
    attempt_number: int | None = None
    fear_expressed: str = "unknown"
    fear_modes: tuple[str, ...] = ()
    fear_language: str = ""
    tactics: tuple[str, ...] = ()
    outcome: str = ""


@dataclass(frozen=True)
class Testimony:
    """A whole testimony as entered; ``submission`` identifies the form page it came from."""

    __test__ = False  # pytest: a domain word, not a test class
    person: PersonEntry
    encounters: tuple[EncounterEntry, ...]
    family: tuple[PersonEntry, ...] = ()
    submission: uuid.UUID = field(default_factory=uuid.uuid4)


def do_record_testimony(project: Project, testimony: Testimony, actor: Actor) -> Intake:
    """Save a testimony (person, family, encounters, codings) in one transaction."""
    if not testimony.encounters:
        raise ValidationError("a testimony needs at least one encounter", column="encounters")
    saved = Intake.objects.filter(submission=testimony.submission).first()
    if saved is not None:
        return _same_project(saved, project)
    # Everything that needs no lock is done before the transaction (on SQLite, its BEGIN
    # IMMEDIATE takes the database's write lock): see testimony_rows.
    rows = build_rows(project, testimony, actor)
    source = Source.objects.filter(project=project, name=WEB_INTAKE_SOURCE).first()
    try:
        with transaction.atomic():
            return _write(project, testimony, rows, source, actor)
    except IntegrityError:
        # Two submits of one page at the same moment: the other one won; show what it saved.
        saved = Intake.objects.filter(submission=testimony.submission).first()
        if saved is None:
            raise
        return _same_project(saved, project)


def web_intake_source(project: Project, actor: Actor) -> Source:
    """The project's "Web intake" source, created (and audited) the first time it is needed."""
    source = Source.objects.filter(project=project, name=WEB_INTAKE_SOURCE).first()
    if source is not None:
        return source
    description = "Testimonies entered one by one with the intake form."
    return do_create_source(
        project, WEB_INTAKE_SOURCE, actor, kind=SourceKind.INTAKE_LOG, description=description
    )


def _write(
    project: Project,
    testimony: Testimony,
    rows: TestimonyRows,
    source: Source | None,
    actor: Actor,
) -> Intake:
    """Write the rows built beforehand in about fifteen statements: the project's row and
    the audit chain's head are held only for the writes themselves."""
    # The project's row first: it numbers the new people, and on PostgreSQL two first
    # testimonies at once would otherwise both create the "Web intake" source.
    Project.objects.select_for_update().filter(pk=project.pk).exists()
    source = source or web_intake_source(project, actor)
    events = write_rows(rows, project, source)
    person, record = rows.people[0].person, rows.people[0].record
    intake = Intake.objects.create(
        project=project,
        person=person,
        record=record,
        interviewer=actor if isinstance(actor, User) else None,
        submission=testimony.submission,
    )
    family = [
        Companion(
            intake=intake, person=row.person, record=row.record, relationship=row.relationship
        )
        for row in rows.people[1:]
    ]
    Companion.objects.bulk_create(family)
    for draft in IntakeDraft.objects.filter(submission=testimony.submission):
        events.append(_discard_draft(draft, reason="saved"))
    details = {
        "person": person.pseudonym,
        "same_person": testimony.person.same_as is not None,
        "family": [companion.person.pseudonym for companion in family],
        "encounters": len(testimony.encounters),
        "turned_back_together": [row.person.pseudonym for row in rows.people[1:] if row.travelled],
    }
    events.append(PendingEvent("intake.testimony.create", intake, project.pk, details))
    append_events(actor, events)
    return intake


def _same_project(intake: Intake, project: Project) -> Intake:
    if intake.project_id != project.pk:
        raise ValidationError("this form was submitted for another project", column="submission")
    return intake


def do_save_intake_draft(
    project: Project, author: User, submission: uuid.UUID, fields: Payload
) -> IntakeDraft:
    """Keep what ``author`` typed on form page ``submission`` as its sealed draft (one per
    page: a later save replaces the payload). Refused once the testimony is saved."""
    try:
        with transaction.atomic():
            return _save_draft(project, author, submission, fields)
    except IntegrityError:
        # Two autosaves of a new page at once: the other made the draft; update it.
        with transaction.atomic():
            return _save_draft(project, author, submission, fields)


def do_discard_intake_draft(draft: IntakeDraft, actor: Actor) -> None:
    """Delete a draft and its data key at its author's request."""
    with transaction.atomic():
        _delete_draft(draft, actor, "intake.draft.discard", reason="discarded")


def do_purge_intake_drafts(actor: Actor, *, now: datetime | None = None) -> int:
    """Delete every draft not saved for ``TESTIMONIO_INTAKE_DRAFT_DAYS``, with its key;
    returns how many were purged."""
    expired = list(IntakeDraft.objects.filter(saved_at__lte=draft_cutoff(now)))
    if expired:  # no write transaction (SQLite: the database's write lock) when none expired
        with transaction.atomic():
            for draft in expired:
                _delete_draft(draft, actor, "intake.draft.expire")
    return len(expired)


def draft_cutoff(now: datetime | None = None) -> datetime:
    """Drafts last saved at or before this moment have expired."""
    return (now or timezone.now()) - timedelta(days=load_config().intake_draft_days)


def draft_expiry(draft: IntakeDraft) -> datetime:
    return draft.saved_at + timedelta(days=load_config().intake_draft_days)


def _save_draft(
    project: Project, author: User, submission: uuid.UUID, fields: Payload
) -> IntakeDraft:
    if Intake.objects.filter(submission=submission).exists():  # a late autosave
        raise ValidationError("this testimony is already saved", column="submission")
    draft = IntakeDraft.objects.select_for_update().filter(submission=submission).first()
    created = draft is None
    if draft is None:
        draft = IntakeDraft(project=project, author=author, submission=submission)
    elif draft.author_id != author.pk or draft.project_id != project.pk:
        raise PermissionDenied("This form page belongs to another person's draft.")
    seal_payload(draft, fields)
    draft.save()
    details = {"draft": str(draft.uuid), "created": created}
    record_event(author, "intake.draft.save", draft, project_id=project.pk, details=details)
    return draft


def _delete_draft(draft: IntakeDraft, actor: Actor, action: str, **details: str) -> None:
    record_events(actor, [_draft_deleted(draft, action, **details)])


def _discard_draft(draft: IntakeDraft, **details: str) -> PendingEvent:
    """Delete the draft of a saved testimony; its event goes with the testimony's."""
    return _draft_deleted(draft, "intake.draft.discard", **details)


def _draft_deleted(draft: IntakeDraft, action: str, **details: str) -> PendingEvent:
    # The UUID in the details: the row's id is gone once it is deleted. Never the payload.
    event = PendingEvent(action, draft, draft.project_id, {"draft": str(draft.uuid), **details})
    destroy_draft_key(draft)
    IntakeDraft.objects.filter(pk=draft.pk).delete()
    return event
