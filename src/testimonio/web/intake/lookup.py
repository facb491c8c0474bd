"""Finding persons by identity without reading any identity: the keyed blind indexes.

Four indexes exist on every record's sealed identity (``cases.RecordIdentity``): the first
surname word with the birth year, the first given-name word with the first surname word, the
full birth date, and the phone number's last ten digits. A lookup computes the same HMACs of
what the user typed, in memory, and compares them: no value is decrypted, stored, logged or
put in a URL. Results are persons, shown by pseudonym.

An exact lookup is a way to learn whether someone is in the database, so it is allowed only
to roles that may see identities, audited (which indexes were used and how many persons
matched, never the values) and limited per member and hour like reveals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from testimonio.crypto import (
    birth_date_index,
    given_surname_index,
    phone_index,
    surname_year_index,
)
from testimonio.errors import PermissionDenied
from testimonio.web.accounts.identity_policy import reveals_per_hour
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may
from testimonio.web.audit.log import record_event
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Person, Project, Record, RecordIdentity
from testimonio.web.keys.ring import current_index_key

LOOKUP_EVENT = "intake.lookup"


@dataclass(frozen=True)
class Lookup:
    """What was typed, in memory only; each complete pair gives one blind index."""

    given_names: str = ""
    surnames: str = ""
    #: The year (or any partial ISO date) for the surname + birth year index.
    birth_year: str = ""
    #: A full ISO date (YYYY-MM-DD) for the birth date index.
    birth_date: str = ""
    phone: str = ""

    def indexes(self, key: bytes) -> dict[str, str]:
        """Index name (as audited: ``surname_year``...) -> HMAC, for the pairs given."""
        found = {
            "surname_year": surname_year_index(self.surnames, self.birth_year, key),
            "given_surname": given_surname_index(self.given_names, self.surnames, key),
            "birth_date": birth_date_index(self.birth_date, key),
            "phone": phone_index(self.phone, key),
        }
        return {name: value for name, value in found.items() if value}

    def __repr__(self) -> str:
        return "Lookup(<typed identity>)"


def matching_persons(project: Project, lookup: Lookup) -> list[Person]:
    """Persons of ``project`` with a record matching any one of the lookup's indexes."""
    indexes = lookup.indexes(current_index_key())
    if not indexes:
        return []
    matches = Q()
    for name, value in indexes.items():
        matches |= Q(**{f"{name}_index": value})
    # The indexes first, on their own: joined with the project's records in one query,
    # SQLite walks all of the project's records and probes each identity (270 ms at 100,000
    # records, docs/benchmarks/web_case_list.md) instead of searching the index.
    record_ids = list(RecordIdentity.objects.filter(matches).values_list("record_id", flat=True))
    person_ids = Record.objects.filter(
        pk__in=record_ids, project=project, person__isnull=False
    ).values("person")
    return list(
        Person.objects.filter(pk__in=person_ids, erased_at__isnull=True).order_by("pseudonym")
    )


def do_lookup_persons(
    membership: Membership,
    user: User | AnonymousUser,
    lookup: Lookup,
) -> list[Person]:
    """An audited, rate-limited exact lookup; raises :class:`PermissionDenied` otherwise."""
    project = membership.project
    if not may(membership, "view_identity"):
        raise PermissionDenied("Your role in this project does not look people up by identity.")
    limit, done = reveals_per_hour(), lookups_in_last_hour(user, project)
    if done >= limit:
        with transaction.atomic():
            record_event(
                user,
                "intake.lookup_refused",
                project,
                project_id=project.pk,
                details={"limit": limit, "done": done},
            )
        raise PermissionDenied(
            f"You have made {done} lookups in this project in the last hour; the limit is "
            f"{limit} an hour. Try again later."
        )
    persons = matching_persons(project, lookup)
    used = list(lookup.indexes(current_index_key()))
    with transaction.atomic():
        record_event(
            user,
            LOOKUP_EVENT,
            project,
            project_id=project.pk,
            details={"by": used, "matches": len(persons)},
        )
    return persons


def lookups_in_last_hour(user: User | AnonymousUser, project: Project) -> int:
    since = timezone.now() - timedelta(hours=1)
    return AuditEvent.objects.filter(
        action=LOOKUP_EVENT, actor_id=user.pk, project_id=project.pk, at__gte=since
    ).count()
