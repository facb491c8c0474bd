"""Correct a record's or an encounter's fields, keeping what they said before, sealed.

A correction is one transaction and one audit event (``cases.record.correct`` or
``cases.encounter.correct``) naming the fields changed and the reason. What must always hold:
the previous values never appear in clear in the audit trail. They are sealed together as one
AES-GCM value under a data key of their own (owned by the correction's random id, wrapped by
the master key like every data key, so a master-key rotation re-wraps it and it stays
readable); the event holds that id and the sealed value (base64). Erasing the person destroys
those keys with the rest (:mod:`testimonio.web.cases.actions.erasure`).

A record's blind indexes are recomputed from its corrected identity in the same transaction,
so an exact lookup finds the corrected name and no longer the old one.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy

from testimonio.crypto import SealContext, open_value, seal_value
from testimonio.errors import ValidationError
from testimonio.partial_dates import DatePrecision, parse_partial_date
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Encounter, Language, Nationality, Port, Record
from testimonio.web.cases.resolve import resolve_code, resolve_term
from testimonio.web.keys.identity import IdentityFields, open_identity, seal_identity
from testimonio.web.keys.ring import data_key_for
from testimonio.web.validation import clean_or_raise

#: Identity fields a correction may change (provenance is where the record came from: never).
IDENTITY_FIELDS = tuple(f.name for f in fields(IdentityFields) if f.name != "provenance")
#: Non-identifying attributes of a record, readable by every role.
RECORD_ATTRIBUTES = ("sex", "gender_identity", "age_band", "nationality", "language")
#: An encounter's correctable fields; ``date`` is YYYY, YYYY-MM or YYYY-MM-DD (empty: unknown).
ENCOUNTER_FIELDS = ("date", "port", "attempt_number", "fear_expressed", "outcome")


class CorrectionReason(models.TextChoices):
    """Why a value was corrected: a fixed list, never free text (which could carry a name)."""

    TYPING_ERROR = "typing_error", gettext_lazy("A typing or transcription error")
    NEW_INFORMATION = "new_information", gettext_lazy("The person gave new or clearer information")
    SOURCE_CORRECTED = "source_corrected", gettext_lazy("The source corrected its own record")
    WRONG_RECORD = "wrong_record", gettext_lazy("Entered on the wrong record or encounter")


RECORD_ACTION = "cases.record.correct"
ENCOUNTER_ACTION = "cases.encounter.correct"
_SEALED_MODEL = "audit.correction"


def do_correct_record(
    record: Record, changes: Mapping[str, str], actor: Actor, reason: str
) -> list[str]:
    """Correct ``record``'s identity fields and attributes; returns the fields changed.

    ``changes`` maps field names to new values (codes for nationality and language); values
    equal to the current ones are not changes. Nothing is written when none differ.
    """
    reason = _required_reason(reason)
    _refuse_unknown(changes, (*IDENTITY_FIELDS, *RECORD_ATTRIBUTES))
    previous: dict[str, str] = {}
    identity = _corrected_identity(record, changes, previous)
    for name in RECORD_ATTRIBUTES:
        if name in changes:
            _set_attribute(record, name, str(changes[name] or "").strip(), previous)
    _refuse_no_change(previous)
    clean_or_raise(record)
    with transaction.atomic():
        record.save()
        if identity is not None:
            seal_identity(record, identity).save()  # same primary key: replaces the row
        _record_correction(actor, RECORD_ACTION, record, record.project_id, previous, reason)
    return sorted(previous)


def do_correct_encounter(
    encounter: Encounter, changes: Mapping[str, Any], actor: Actor, reason: str
) -> list[str]:
    """Correct an encounter's date (at the precision it gives), port, attempt number, fear
    expressed or outcome; returns the fields changed."""
    reason = _required_reason(reason)
    _refuse_unknown(changes, ENCOUNTER_FIELDS)
    before = encounter_values(encounter)
    if "date" in changes:
        _set_date(encounter, str(changes["date"] or "").strip())
    if "port" in changes:
        encounter.port = resolve_code(Port, str(changes["port"] or ""), "port")
    if "attempt_number" in changes:
        encounter.attempt_number = _attempt(changes["attempt_number"])
    if "fear_expressed" in changes:
        encounter.fear_expressed = str(changes["fear_expressed"] or "")
    if "outcome" in changes:
        code = str(changes["outcome"] or "").strip()
        encounter.outcome = resolve_term(encounter.project, code, "outcome") if code else None
    after = encounter_values(encounter)
    previous = {name: before[name] for name in ENCOUNTER_FIELDS if before[name] != after[name]}
    _refuse_no_change(previous)
    clean_or_raise(encounter)
    with transaction.atomic():
        encounter.save()
        project_id = encounter.project_id
        _record_correction(actor, ENCOUNTER_ACTION, encounter, project_id, previous, reason)
    return sorted(previous)


def encounter_values(encounter: Encounter) -> dict[str, str]:
    """An encounter's correctable fields as text (codes for port and outcome)."""
    return {
        "date": encounter.date.isoformat() if encounter.date_year else "",
        "port": encounter.port.code if encounter.port else "",
        "attempt_number": str(encounter.attempt_number or ""),
        "fear_expressed": encounter.fear_expressed,
        "outcome": encounter.outcome.code if encounter.outcome else "",
    }


def open_previous_values(event: AuditEvent) -> dict[str, str]:
    """The previous values a correction event sealed (for those holding the master key)."""
    sealed = event.details["previous"]
    context = SealContext(_SEALED_MODEL, "previous", sealed["key"])
    key = data_key_for(uuid.UUID(sealed["key"]), create=False)
    text = open_value(base64.b64decode(sealed["sealed"]), context, key)
    return {str(name): str(value) for name, value in json.loads(text).items()}


def correction_keys(action: str, object_ids: list[str]) -> list[uuid.UUID]:
    """The data keys sealing the previous values of corrections to these rows (erasure
    destroys them with the rows' own keys)."""
    events = AuditEvent.objects.filter(action=action, object_id__in=object_ids)
    return [
        uuid.UUID(details["previous"]["key"])
        for details in events.values_list("details", flat=True)
    ]


def _corrected_identity(
    record: Record, changes: Mapping[str, str], previous: dict[str, str]
) -> IdentityFields | None:
    wanted = {name: str(changes[name] or "").strip() for name in IDENTITY_FIELDS if name in changes}
    if not wanted:
        return None
    current = open_identity(record)  # an erased record raises ErasedError: nothing to correct
    changed = {name: value for name, value in wanted.items() if getattr(current, name) != value}
    if "birth_date" in changed:
        parse_partial_date(changed["birth_date"], column="birth_date")
    previous.update({name: getattr(current, name) for name in changed})
    return replace(current, **changed) if changed else None


def _set_attribute(record: Record, name: str, value: str, previous: dict[str, str]) -> None:
    if name in ("nationality", "language"):
        model = Nationality if name == "nationality" else Language
        row = resolve_code(model, value, name)
        old = getattr(record, name)
        if (old.pk if old else None) != (row.pk if row else None):
            previous[name] = old.code if old else ""
            setattr(record, name, row)
    elif getattr(record, name) != value:
        previous[name] = getattr(record, name)
        setattr(record, name, value)


def _set_date(encounter: Encounter, text: str) -> None:
    if not text:
        encounter.date_year = encounter.date_month = encounter.date_day = None
        encounter.date_precision = DatePrecision.UNKNOWN.value
        return
    when = parse_partial_date(text, column="date")
    encounter.date_year, encounter.date_month, encounter.date_day = when.year, when.month, when.day
    encounter.date_precision = DatePrecision(when.precision).value


def _attempt(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise ValidationError(
            "the attempt number must be a whole number", column="attempt_number"
        ) from None


def _record_correction(
    actor: Actor,
    action: str,
    target: Record | Encounter,
    project_id: int,
    previous: dict[str, str],
    reason: str,
) -> None:
    owner = uuid.uuid4()
    text = json.dumps(previous, ensure_ascii=False, sort_keys=True)
    context = SealContext(_SEALED_MODEL, "previous", str(owner))
    sealed = seal_value(text, context, data_key_for(owner, create=True))
    details = {
        "fields": sorted(previous),
        "reason": reason,
        "previous": {"key": str(owner), "sealed": base64.b64encode(sealed).decode("ascii")},
    }
    record_event(actor, action, target, project_id=project_id, details=details)


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if reason not in CorrectionReason.values:
        raise ValidationError(
            f"a correction needs a reason, one of {', '.join(CorrectionReason.values)}",
            column="reason",
        )
    return reason


def _refuse_unknown(changes: Mapping[str, object], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError(
            f"these fields cannot be corrected: {', '.join(unknown)}", column=unknown[0]
        )


def _refuse_no_change(previous: Mapping[str, str]) -> None:
    if not previous:
        raise ValidationError("nothing to correct: every value is as it was", column="changes")
