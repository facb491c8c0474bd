"""Finding persons by identity without reading any identity: the keyed blind indexes.

Two indexes exist on every record's sealed identity (``cases.RecordIdentity``): the first
surname word with the birth year, and the phone number's last ten digits. A lookup computes
the same HMACs of what the user typed, in memory, and compares them: no value is decrypted,
stored, logged or put in a URL. Results are persons, shown by pseudonym.

An exact lookup is a way to learn whether someone is in the database, so it is allowed only
to roles that may see identities, audited (which indexes were used and how many persons
matched, never the values) and limited per member and hour like reveals.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from testimonio.crypto import phone_index, surname_year_index
from testimonio.errors import PermissionDenied
from testimonio.web.accounts.identity_policy import reveals_per_hour
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may
from testimonio.web.audit.log import record_event
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Person, Project, RecordIdentity
from testimonio.web.keys.ring import current_index_key

LOOKUP_EVENT = "intake.lookup"


def matching_persons(
    project: Project, *, surnames: str = "", birth_date: str = "", phone: str = ""
) -> list[Person]:
    """Persons of ``project`` with a record whose surname and birth year, or phone, match."""
    key = current_index_key()
    by_name = surname_year_index(surnames, birth_date, key)
    by_phone = phone_index(phone, key)
    if not (by_name or by_phone):
        return []
    identities = RecordIdentity.objects.filter(
        record__project=project, record__person__isnull=False
    )
    if by_name and by_phone:
        identities = identities.filter(surname_year_index=by_name) | identities.filter(
            phone_index=by_phone
        )
    elif by_name:
        identities = identities.filter(surname_year_index=by_name)
    else:
        identities = identities.filter(phone_index=by_phone)
    person_ids = identities.values("record__person")
    return list(
        Person.objects.filter(pk__in=person_ids, erased_at__isnull=True).order_by("pseudonym")
    )


def do_lookup_persons(
    membership: Membership,
    user: User | AnonymousUser,
    *,
    surnames: str = "",
    birth_date: str = "",
    phone: str = "",
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
    persons = matching_persons(project, surnames=surnames, birth_date=birth_date, phone=phone)
    used = [name for name, value in (("surname_year", surnames), ("phone", phone)) if value]
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
