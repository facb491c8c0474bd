"""The table a project's linkage runs on: its records, identities opened in memory only.

What must always hold: the plaintext identity values in this table exist only in memory, for
the length of one run, inside the app's trust boundary; they are never written to a file, the
database, a log or an error message. Records of erased persons are left out (their keys are
destroyed, and they must not be re-identified by linking).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd
from django.db.models import Q

from testimonio.linkage import prepare_records
from testimonio.web.cases.models import CannotLink, Encounter, Project, Record
from testimonio.web.keys.identity import open_identity
from testimonio.web.linking.models import Decision, MatchDecision

#: Columns of the input frame, each named after the linkage field it fills.
LINKAGE_COLUMNS = (
    "record_id", "given_name", "surname", "full_name", "birth_date", "phone", "sex",
    "nationality", "port", "encounter_date",
)  # fmt: skip


def linkable_records(project: Project) -> list[Record]:
    """The project's records that linkage may see, in a stable order (by id)."""
    not_erased = Q(person__isnull=True) | Q(person__erased_at__isnull=True)
    return list(
        Record.objects.filter(not_erased, project=project)
        .select_related("nationality")
        .order_by("pk")
    )


def standard_records(
    records: list[Record], birth_dates: dict[int, str] | None = None
) -> pd.DataFrame:
    """The core's standard table of ``records`` (``record_id`` is the Record's primary key).

    ``birth_dates``, when given, is filled with each record's opened birth date (by record id)
    so that the run can check its merges (:mod:`testimonio.web.cases.disagreements`) without
    decrypting every identity twice; it lives as long as the run, in memory.
    """
    rows = list(_rows(records))
    if birth_dates is not None:
        birth_dates.update((int(row[0]), row[4]) for row in rows)
    frame = pd.DataFrame(rows, columns=list(LINKAGE_COLUMNS), dtype=object)
    standard = prepare_records(frame, {column: column for column in LINKAGE_COLUMNS}, "project")
    standard.insert(0, "unique_id", range(1, len(standard) + 1))
    return standard


def _rows(records: list[Record]) -> Iterable[tuple[str, ...]]:
    first_encounters = _first_encounters(records)
    nationalities = {
        record.pk: record.nationality.code if record.nationality else "" for record in records
    }
    for record in records:
        identity = open_identity(record)
        port, date = first_encounters.get(record.pk, ("", ""))
        yield (
            str(record.pk),
            identity.given_names,
            identity.surnames,
            identity.full_name,
            identity.birth_date,
            identity.phone,
            record.sex if record.sex in {"female", "male"} else "",
            nationalities[record.pk],
            port,
            date,
        )


def _first_encounters(records: list[Record]) -> dict[int, tuple[str, str]]:
    """Port and day of each record's first reported encounter (a day only when known)."""
    found: dict[int, tuple[str, str]] = {}
    encounters = (
        Encounter.objects.filter(record__in=[record.pk for record in records])
        .select_related("port")
        .order_by("date_year", "date_month", "date_day", "pk")
    )
    for encounter in encounters:
        if encounter.record_id is None or encounter.record_id in found:
            continue
        day = encounter.date.isoformat() if encounter.date_day else ""
        found[encounter.record_id] = (encounter.port.code if encounter.port else "", day)
    return found


def input_hash(
    records: list[Record],
    decisions: list[MatchDecision],
    cannot_link: list[tuple[int, int]] | None = None,
) -> str:
    """SHA-256 over record ids and raw-row hashes, then the reviewers' decisions and the
    splits' cannot-link pairs: what a repeated run must be given to reach the same clusters."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(f"record {record.pk} {record.raw_hash}\n".encode())
    for decision in sorted(decisions, key=lambda item: (item.record_a_id, item.record_b_id)):
        digest.update(f"decision {decision.record_a_id} {decision.record_b_id} ".encode())
        digest.update(f"{decision.decision}\n".encode())
    for first, second in sorted(cannot_link or []):
        digest.update(f"cannot link {first} {second}\n".encode())
    return digest.hexdigest()


def cannot_link_pairs(project: Project) -> list[tuple[int, int]]:
    """The record pairs that splits put apart: no run may join them again."""
    return list(
        CannotLink.objects.filter(project=project)
        .order_by("record_a", "record_b")
        .values_list("record_a", "record_b")
    )


def decided_pairs(project: Project) -> list[MatchDecision]:
    """The project's same/different decisions (unsure ones leave the model to judge)."""
    return list(
        MatchDecision.objects.filter(
            project=project, decision__in=[Decision.SAME, Decision.DIFFERENT]
        ).order_by("decided_at", "pk")
    )
