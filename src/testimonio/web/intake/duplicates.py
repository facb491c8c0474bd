"""The intake form's duplicate check: blind indexes find a few candidates, linkage scores them.

Candidates are the records of the project that share one of the entry's keyed blind indexes:
the exact ones of the lookup (surname + birth year, given name + surname, full birth date,
phone), the full birth date with day and month swapped, and the phonetic key of either
surname with the birth year (in either column, so swapped or dropped surnames still meet).
No more than :data:`MAX_CANDIDATES` records are opened, in memory; each is
scored with the linkage model's levels (:func:`testimonio.linkage.score_pair`) and the project's
last linkage run's m and u. Persons with a record at or above
:data:`testimonio.linkage.SHOW_THRESHOLD` are returned, best first.

What must always hold: no identity value of a candidate leaves this module (a
:class:`PossibleDuplicate` carries a pseudonym, a band and field names); every check that
opens records is one audit event holding counts and pseudonyms only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from testimonio.crypto import (
    birth_date_index,
    given_surname_index,
    phone_index,
    surname_sound_year_index,
    surname_year_index,
)
from testimonio.linkage import (
    SHOW_THRESHOLD,
    DuplicateScore,
    IdentityFacts,
    ScoringParameters,
    parameters_from_settings,
    score_pair,
    surname_sound_keys,
)
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may
from testimonio.web.audit.log import record_event
from testimonio.web.cases.models import Person, Project, Record, RecordIdentity
from testimonio.web.keys.identity import open_identities
from testimonio.web.keys.ring import current_index_key
from testimonio.web.linking.models import LinkRun

CHECK_EVENT = "intake.duplicate_check"

#: The most records one check opens. A very common surname sound in one birth year can
#: block more at 100,000 records; those sharing a narrow index come first.
MAX_CANDIDATES = 100


#: How the form names a score band (:func:`testimonio.linkage.score_band`).
BAND_LABELS: dict[str, Promise] = {
    "high": gettext_lazy("high likelihood"),
    "medium": gettext_lazy("medium likelihood"),
    "low": gettext_lazy("low likelihood"),
}
#: How the form names a compared field (never its value).
FIELD_LABELS: dict[str, Promise] = {
    "given_name": gettext_lazy("given name"),
    "surnames": gettext_lazy("surnames"),
    "birth_date": gettext_lazy("birth date"),
    "phone": gettext_lazy("phone"),
}


#: The most index rows read per tier: the index table holds every project's records.
_IDS = 1000


@dataclass(frozen=True)
class PossibleDuplicate:
    """A person the entry may be, as the form shows it: never a name or a date."""

    person: Person
    score: DuplicateScore

    @property
    def pseudonym(self) -> str:
        return self.person.pseudonym

    @property
    def band(self) -> str:
        return self.score.band

    @property
    def band_label(self) -> Promise:
        return BAND_LABELS[self.score.band]

    @property
    def agreeing_labels(self) -> list[Promise]:
        """The fields that agree, by name: shown only to a role that may see identities."""
        return [FIELD_LABELS[name] for name in self.score.agreeing]


def do_check_duplicates(
    membership: Membership, user: User | AnonymousUser, entry: IdentityFacts
) -> list[PossibleDuplicate]:
    """The persons the entry may be, scored; audited. A role that may not see identities
    gets none (even a pseudonym would confirm that someone of that name is here), as the
    exact lookup refuses it; the intake form is open only to roles that may."""
    if not may(membership, "view_identity"):
        return []
    project = membership.project
    records = candidate_records(project, entry)
    if not records:
        return []
    found = score_candidates(entry, records, scoring_parameters(project))
    with transaction.atomic():
        record_event(
            user,
            CHECK_EVENT,
            project,
            project_id=project.pk,
            details={
                "opened": len(records),
                "shown": [duplicate.pseudonym for duplicate in found],
            },
        )
    return found


def blocking_indexes(entry: IdentityFacts, key: bytes) -> tuple[Q | None, Q | None]:
    """The conditions on :class:`RecordIdentity` that block the entry's candidates: the
    narrow ones (given name + surname, full birth date or it with day and month swapped,
    phone), then the wide ones (a surname or its sound with the birth year), which a common
    surname fills with hundreds of records."""
    narrow = _any_of(
        given_surname_index=given_surname_index(entry.given_names, entry.surnames, key),
        birth_date_index=birth_date_index(entry.birth_date, key),
        phone_index=phone_index(entry.phone, key),
    )
    swapped = birth_date_index(_day_month_swapped(entry.birth_date), key)
    if swapped:
        narrow = (narrow or Q()) | Q(birth_date_index=swapped)
    wide = _any_of(surname_year_index=surname_year_index(entry.surnames, entry.birth_date, key))
    sounds = {
        surname_sound_year_index(sound, entry.birth_date, key)
        for sound in surname_sound_keys(entry.surnames)
    } - {""}
    if sounds:
        sound = Q(paternal_sound_year_index__in=sounds) | Q(maternal_sound_year_index__in=sounds)
        wide = sound if wide is None else wide | sound
    return narrow, wide


def _any_of(**indexes: str) -> Q | None:
    condition = Q()
    for column, value in indexes.items():
        if value:
            condition |= Q(**{column: value})
    return condition or None


def candidate_records(project: Project, entry: IdentityFacts) -> list[Record]:
    """Up to :data:`MAX_CANDIDATES` of the project's linked records that the blocking finds,
    those of the narrow indexes first (then by record, so the same ones every time)."""
    chosen: list[Record] = []
    for condition in blocking_indexes(entry, current_index_key()):
        if condition is None or len(chosen) >= MAX_CANDIDATES:
            continue
        # The indexes on their own first (as the exact lookup does): joined with the
        # project's records, SQLite would walk every record of the project.
        ids = RecordIdentity.objects.filter(condition).exclude(
            record_id__in=[record.pk for record in chosen]
        )
        found = Record.objects.filter(
            pk__in=list(ids.order_by("record_id").values_list("record_id", flat=True)[:_IDS]),
            project=project,
            person__isnull=False,
            person__erased_at__isnull=True,
        )
        chosen += found.select_related("person").order_by("pk")[: MAX_CANDIDATES - len(chosen)]
    return chosen


def scoring_parameters(project: Project) -> ScoringParameters:
    """The m and u of the project's last linkage run, else the documented defaults."""
    run = LinkRun.objects.filter(project=project).order_by("-pk").first()
    # A run keeps its model as LinkageModel.to_dict wrote it: Splink's own settings inside.
    splink_settings = (run.settings or {}).get("splink_settings") if run is not None else None
    if run is None or not splink_settings:
        return ScoringParameters()
    return parameters_from_settings(splink_settings, origin=f"link run {run.pk}")


def score_candidates(
    entry: IdentityFacts, records: list[Record], parameters: ScoringParameters
) -> list[PossibleDuplicate]:
    """Each candidate person's best record score at or above the threshold, best first."""
    best: dict[int, PossibleDuplicate] = {}
    opened = open_identities(records)
    for record in records:
        person, identity = record.person, opened.get(record.pk)
        if person is None or identity is None:  # unlinked (not queried) or erased
            continue
        facts = IdentityFacts(
            identity.given_names, identity.surnames, identity.birth_date, identity.phone
        )
        score = score_pair(entry, facts, parameters)
        held = best.get(person.pk)
        if score.probability >= SHOW_THRESHOLD and (
            held is None or score.probability > held.score.probability
        ):
            best[person.pk] = PossibleDuplicate(person, score)
    return sorted(best.values(), key=lambda found: (-found.score.probability, found.pseudonym))


def _day_month_swapped(birth_date: str) -> str:
    """The full date with day and month swapped ("" when not a full date or the same)."""
    if len(birth_date) != 10 or birth_date[5:7] == birth_date[8:10]:
        return ""
    return f"{birth_date[:4]}-{birth_date[8:10]}-{birth_date[5:7]}"
