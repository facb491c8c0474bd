"""Capture histories of a project's persons: who each of its sources documented.

After linkage each record belongs to a person; a person is "on" a source when at least one of
its records came from that source. Multiple systems estimation needs nothing else, so the table
built here holds 0/1 membership per source (and optionally a stratum) for each person and never
a pseudonym, a name or any other identity: what leaves this module is counts of patterns.

Strata are read from the person's encounters: the port, its US state, or the year of the
person's earliest encounter that has one. A person with none gets the stratum ``unknown``, which
is not a place or a period: the estimate of that stratum says so.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace

import pandas as pd
from django.db.models import F

from testimonio.errors import InputError
from testimonio.estimation import CaptureHistories, capture_histories_from_frame
from testimonio.web.cases.models import Encounter, Project, Record, Source
from testimonio.web.linking.models import LinkRun

__all__ = ["STRATA", "UNKNOWN_STRATUM", "project_capture_histories"]

STRATA: tuple[str, ...] = ("port", "state", "year")
UNKNOWN_STRATUM = "unknown"


def project_capture_histories(
    project: Project, *, stratify: str | None = None
) -> tuple[CaptureHistories | dict[str, CaptureHistories], str]:
    """The project's capture histories (per stratum if asked) and a SHA-256 of that table.

    The hash is of the aggregated pattern counts, so a run can be matched to its input without
    the input holding anyone's identity.
    """
    if stratify is not None and stratify not in STRATA:
        choices = ", ".join(STRATA)
        raise InputError(
            f"a project can be stratified by {choices}; not {stratify!r}", column="--stratify"
        )
    all_sources = Source.objects.filter(project=project).order_by("name")
    sources = list(all_sources.filter(records__isnull=False).distinct())
    _require_usable_names(sources, stratify)
    membership = _membership(project, sources)
    frame = pd.DataFrame(
        [[int(source.pk in on) for source in sources] for on in membership.values()],
        columns=[source.name for source in sources],
    )
    if stratify is not None:
        strata = _strata(project, stratify)
        frame[stratify] = [strata.get(person, UNKNOWN_STRATUM) for person in membership]
    table = _pattern_table(frame, stratify)
    digest = hashlib.sha256(table.to_csv(index=False).encode()).hexdigest()
    histories = capture_histories_from_frame(
        table, source=f"project {project.slug}", stratify=stratify
    )
    notes = []
    if not LinkRun.objects.filter(project=project).exists():
        notes.append(NOT_LINKED)
    empty = [source.name for source in all_sources if source not in sources]
    if empty:
        notes.append("left out sources with no records: " + ", ".join(empty))
    for note in notes:
        histories = _with_warning(histories, note)
    if isinstance(histories, dict) and UNKNOWN_STRATUM in histories:
        unknown = histories[UNKNOWN_STRATUM]
        note = f"people with no {stratify} recorded: a group made by what the lists record"
        histories[UNKNOWN_STRATUM] = replace(unknown, warnings=(note, *unknown.warnings))
    return histories, digest


def _require_usable_names(sources: list[Source], stratify: str | None) -> None:
    """A source named like the count or stratum column would be read as that column."""
    for source in sources:
        if source.name.strip() in ("count", stratify):
            raise InputError(
                f"a source named {source.name!r} cannot be estimated from; rename it",
                column="--project",
            )


NOT_LINKED = (
    "no linkage has been run in this project: persons are as entered or imported (an imported "
    "record is its own person until linkage), so people on several lists may be counted twice"
)


def _with_warning(
    histories: CaptureHistories | dict[str, CaptureHistories], warning: str
) -> CaptureHistories | dict[str, CaptureHistories]:
    if isinstance(histories, dict):
        return {
            name: replace(part, warnings=(warning, *part.warnings))
            for name, part in histories.items()
        }
    return replace(histories, warnings=(warning, *histories.warnings))


def _membership(project: Project, sources: list[Source]) -> dict[int, set[int]]:
    """For each person (by database id, never shown), the sources that documented them."""
    if len(sources) < 3:
        raise InputError(
            f"project {project.slug!r} has {len(sources)} sources with records; multiple "
            "systems estimation needs at least 3"
        )
    unlinked = Record.objects.filter(project=project, person__isnull=True).count()
    if unlinked:
        raise InputError(
            f"{unlinked} records of project {project.slug!r} belong to no person yet; link the "
            "project's records first"
        )
    membership: dict[int, set[int]] = defaultdict(set)
    pairs = Record.objects.filter(project=project).values_list("person_id", "source_id")
    for person, source in pairs.distinct().order_by("person_id"):
        membership[person].add(source)
    if not membership:
        raise InputError(f"project {project.slug!r} has no records to estimate from")
    return dict(membership)


def _strata(project: Project, stratify: str) -> dict[int, str]:
    """Each person's stratum, from their earliest encounter that records it."""
    field = {"year": "date_year", "port": "port__code", "state": "port__state"}[stratify]
    encounters = Encounter.objects.filter(project=project, person__isnull=False)
    known = encounters.filter(**{f"{field}__isnull": False})
    if stratify == "state":
        known = known.exclude(port__state="")
    rows = known.values_list("person_id", field)
    dates = [F(name).asc(nulls_last=True) for name in ("date_year", "date_month", "date_day")]
    ordered = rows.order_by("person_id", *dates, "pk")
    strata: dict[int, str] = {}
    for person, value in ordered:
        strata.setdefault(person, str(value))
    return strata


def _pattern_table(frame: pd.DataFrame, stratify: str | None) -> pd.DataFrame:
    """One row per pattern (and stratum) with a ``count``: what is hashed and estimated."""
    keys = list(frame.columns)
    table = frame.groupby(keys, sort=True).size().reset_index(name="count")
    return table.astype({key: str for key in keys})
