"""Events appended in bulk hash (HMAC under the audit key) the same canonical JSON ``audit
verify`` re-computes, and store details that read back equal to what was given."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testimonio.web.audit.keys import audit_key
from testimonio.web.audit.log import PendingEvent, TargetRef, append_events, verify_chain
from testimonio.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# What details hold (ids, codes, names of fields, counts), in any script; no NUL and no floats,
# which PostgreSQL's jsonb cannot keep as given whoever writes them.
texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)
events = st.builds(
    PendingEvent,
    action=st.sampled_from(["cases.record.import", "cases.import", "acción.ñ"]),
    target=st.one_of(
        texts,
        st.builds(TargetRef, st.just("cases.record"), st.integers(1, 10**9)),
    ),
    project_id=st.none() | st.integers(1, 10**6),
    details=st.none() | st.dictionaries(texts, json_values, max_size=4),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(events, min_size=1, max_size=6))
def test_bulk_events_hash_their_canonical_payload(batch: list[PendingEvent]) -> None:
    with transaction.atomic():
        before = AuditEvent.objects.count()
        append_events(None, batch)
        written = list(AuditEvent.objects.order_by("sequence")[before:])
        assert [event.details for event in written] == [dict(item.details or {}) for item in batch]
        for event in written:
            assert event.hash == audit_key().chain_hash(event.previous_hash, event.payload())
        assert verify_chain() == []
        transaction.set_rollback(True)


def test_details_with_values_json_cannot_hold_are_stored_as_hashed() -> None:
    """A UUID or date in details is hashed as its text (``default=str``) and stored the same
    way, so the chain still verifies when the event is read back."""
    import datetime
    import uuid

    odd: dict[str, Any] = {"when": datetime.date(2019, 5, 1), "id": uuid.UUID(int=7)}
    with transaction.atomic():
        append_events(None, [PendingEvent("test.odd", "thing", None, odd)])
    event = AuditEvent.objects.latest("sequence")
    assert event.details == {"when": "2019-05-01", "id": str(uuid.UUID(int=7))}
    assert verify_chain() == []
