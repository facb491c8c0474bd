"""Sealing and opening an intake draft's payload: the form's fields as typed, never in clear.

What must always hold: the payload exists in the clear only in memory, during one request.
At rest it is one AES-GCM value under the draft's own data key, bound to the draft's UUID;
destroying that key (on save, discard or expiry) makes every copy unreadable. Only the
fields of the intake form are kept (no CSRF token, no button), within fixed limits, so a
draft cannot be used to store anything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from testimonio.crypto import SealContext, open_value, seal_value
from testimonio.errors import ValidationError
from testimonio.web.intake.models import IntakeDraft
from testimonio.web.keys.models import DataKey
from testimonio.web.keys.ring import data_key_for

#: The form's own fields: the person, family members, encounters and the duplicate answer.
FIELD_PREFIXES = ("person-", "family-", "encounter-")
OTHER_FIELDS = frozenset({"same_as"})
MAX_FIELDS = 2000
MAX_PAYLOAD_CHARACTERS = 200_000

Payload = dict[str, list[str]]

_MODEL = "intake.intakedraft"


def draft_fields(data: Mapping[str, Sequence[str]]) -> Payload:
    """The intake form's fields out of a POST (``QueryDict.lists()`` as a mapping)."""
    fields = {
        name: [str(value) for value in values]
        for name, values in data.items()
        if name.startswith(FIELD_PREFIXES) or name in OTHER_FIELDS
    }
    if len(fields) > MAX_FIELDS:
        raise ValidationError("this draft has more fields than the intake form", column="draft")
    return fields


def seal_payload(draft: IntakeDraft, fields: Payload) -> None:
    """Seal ``fields`` into ``draft`` under its data key (created on first use: call inside
    the caller's transaction, the key row is written)."""
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    if len(text) > MAX_PAYLOAD_CHARACTERS:
        raise ValidationError("this draft is larger than an intake form can be", column="draft")
    key = data_key_for(draft.uuid, create=True)
    draft.payload = seal_value(text, _context(draft), key)


def open_payload(draft: IntakeDraft) -> Payload:
    """The draft's fields, in memory, for its author to resume the form."""
    key = data_key_for(draft.uuid, create=False)
    document = json.loads(open_value(bytes(draft.payload), _context(draft), key))
    return {str(name): [str(value) for value in values] for name, values in document.items()}


def destroy_draft_key(draft: IntakeDraft) -> None:
    DataKey.objects.filter(owner=draft.uuid).delete()


def _context(draft: IntakeDraft) -> SealContext:
    return SealContext(_MODEL, "payload", str(draft.uuid))
