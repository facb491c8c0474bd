"""A project's analysis snapshot tables, read from the Django models (schema: docs/snapshot.md).

Only non-identifying columns are ever selected: the pseudonym of each person, the coded
attributes of each record (nationality, language, gender identity and age band are plain
columns of :class:`~testimonio.web.cases.models.Record`, not sealed identity fields, so nothing
is unsealed here), the coded facts of each encounter and the vocabulary labels of its codings.
Records and encounters get ids that mean nothing outside the snapshot (``R-…``, ``E-…``, in
primary-key order), so a snapshot cannot be joined back to the database without the database.

Efficient by construction: one ``values_list`` query per table, no model objects, so a project
of 100,000 records is read in seconds.

What must always hold: no query here touches ``RecordIdentity`` or ``EncounterNarrative``, and
the persons are those of the project's latest linkage run (a project never linked is refused:
its persons are one per record, and counting them would count reports, not people).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.text import slugify

from testimonio.analysis import TABLES, alternatives_table, padded_ids
from testimonio.errors import EstimationError, InputError
from testimonio.web.cases.models import Coding, Encounter, Project, Record, Source
from testimonio.web.linking.models import LinkRun
from testimonio.web.snapshots.declarations import (
    agreement_tables,
    declaration_tables,
    linkage_review_table,
)

__all__ = ["build_snapshot_tables", "latest_linkage_run", "vocabulary_version"]


def latest_linkage_run(project: Project) -> LinkRun | None:
    """The run whose clustering the project's persons reflect (runs re-assign persons in turn)."""
    return LinkRun.objects.filter(project=project).order_by("-pk").first()


def vocabulary_version(project: Project) -> str:
    """``turnbacks-1``: the bundle name and its version number."""
    return f"{project.vocabulary.name}-{project.vocabulary.number}"


def _check_linkable(project: Project, linkage_run: LinkRun | None) -> LinkRun:
    if not Record.objects.filter(project=project).exists():
        raise EstimationError(
            f"the project {project.slug!r} has no records: import a source before analysing"
        )
    latest = latest_linkage_run(project)
    if latest is None:
        raise EstimationError(
            f"the project {project.slug!r} has never been linked: run "
            f"'testimonio link --project {project.slug}' first"
        )
    if linkage_run is not None and linkage_run.pk != latest.pk:
        raise InputError(
            f"the project's persons are those of its latest linkage run ({latest.pk}), "
            f"not of run {linkage_run.pk}",
            column="linkage_run",
        )
    return latest


def _frame(rows: Iterable[tuple[Any, ...]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(columns))


def _ids(prefix: str, count: int, width: int = 8) -> np.ndarray:
    return padded_ids(prefix, np.arange(count), width)


def _sources(project: Project) -> tuple[pd.DataFrame, dict[int, str]]:
    """Each source's short key: its name as a slug, made unique by its id when two collide."""
    rows = list(Source.objects.filter(project=project).order_by("pk").values_list(
        "pk", "name", "kind"
    ))  # fmt: skip
    keys: dict[int, str] = {}
    for pk, name, _ in rows:
        key = slugify(name)[:60] or f"source-{pk}"
        keys[pk] = f"{key}-{pk}" if key in keys.values() else key
    frame = _frame(
        ((keys[pk], name, kind) for pk, name, kind in rows), TABLES["sources"].column_names
    )
    return frame, keys


def _records(project: Project, source_keys: dict[int, str]) -> tuple[pd.DataFrame, dict[int, str]]:
    # The codes as JSON text, decoded here only when there are any: decoding every row's
    # JSONField through Django took a third of the time on 100,000 records.
    rows = list(
        Record.objects.filter(project=project)
        .order_by("pk")
        .annotate(vulnerability_text=Cast("vulnerabilities", TextField()))
        .values_list(
            "pk", "person__pseudonym", "source_id", "nationality__code", "language__code",
            "gender_identity", "age_band", "vulnerability_text",
        )
    )  # fmt: skip
    ids = _ids("R-", len(rows))
    record_ids = {row[0]: str(record_id) for row, record_id in zip(rows, ids, strict=True)}
    frame = pd.DataFrame(
        {
            "record_id": ids,
            "person_id": [row[1] for row in rows],
            "source_id": [source_keys[row[2]] for row in rows],
            "nationality": [row[3] for row in rows],
            "language": [row[4] for row in rows],
            "gender_identity": [row[5] for row in rows],
            "age_band": [row[6] for row in rows],
            "vulnerabilities": [_codes(row[7]) for row in rows],
        },
        columns=list(TABLES["records"].column_names),
    )
    return frame, record_ids


def _codes(text: str | None) -> str:
    """Space-separated sorted codes of a JSON list ('' for none)."""
    if not text or text == "[]":
        return ""
    return " ".join(sorted(json.loads(text)))


def _fear_modes(project: Project) -> dict[int, str]:
    """An encounter's way of expressing fear is its ``FEAR.MODE.*`` coding (the first, by code)."""
    modes: dict[int, str] = {}
    for encounter_id, code in (
        Coding.objects.filter(encounter__project=project, term__code__startswith="FEAR.MODE.")
        .order_by("encounter_id", "term__code")
        .values_list("encounter_id", "term__code")
    ):
        modes.setdefault(encounter_id, code)
    return modes


def _encounters(
    project: Project, record_ids: dict[int, str]
) -> tuple[pd.DataFrame, dict[int, str]]:
    rows = list(
        Encounter.objects.filter(project=project, person__isnull=False)
        .order_by("pk")
        .values_list(
            "pk", "record_id", "person__pseudonym", "date_year", "date_month", "date_day",
            "date_precision", "port__code", "attempt_number", "fear_expressed",
            "fear_language__code", "outcome__code",
        )
    )  # fmt: skip
    modes = _fear_modes(project)
    ids = _ids("E-", len(rows))
    encounter_ids = {row[0]: str(encounter_id) for row, encounter_id in zip(rows, ids, strict=True)}
    frame = pd.DataFrame(
        {
            "encounter_id": ids,
            "record_id": [record_ids.get(row[1]) if row[1] else None for row in rows],
            "person_id": [row[2] for row in rows],
            "date_year": pd.array([row[3] for row in rows], dtype="Int16"),
            "date_month": pd.array([row[4] for row in rows], dtype="Int16"),
            "date_day": pd.array([row[5] for row in rows], dtype="Int16"),
            "date_precision": [row[6] for row in rows],
            "port": [row[7] for row in rows],
            "attempt_number": pd.array([row[8] for row in rows], dtype="Int16"),
            "fear_expressed": [row[9] for row in rows],
            "fear_mode": [modes.get(row[0]) for row in rows],
            "fear_language": [row[10] for row in rows],
            "outcome": [row[11] for row in rows],
        },
        columns=list(TABLES["encounters"].column_names),
    )
    return frame, encounter_ids


def _codings(project: Project, encounter_ids: dict[int, str]) -> pd.DataFrame:
    rows = (
        (encounter_ids[encounter], code, label_en, label_es)
        for encounter, code, label_en, label_es in Coding.objects.filter(
            encounter__project=project
        ).values_list("encounter_id", "term__code", "term__label_en", "term__label_es")
        if encounter in encounter_ids
    )
    return _frame(rows, TABLES["codings"].column_names)


def _persons(project: Project, records: pd.DataFrame, encounters: pd.DataFrame) -> pd.DataFrame:
    """The persons with a record or an encounter (a person left with neither is no one);
    ``named_plaintiff`` from :class:`~testimonio.web.snapshots.models.NamedPlaintiff`."""
    from testimonio.web.snapshots.models import NamedPlaintiff

    found = sorted(pd.concat([records["person_id"], encounters["person_id"]]).dropna().unique())
    named = set(
        NamedPlaintiff.objects.filter(project=project).values_list("person__pseudonym", flat=True)
    )
    return pd.DataFrame(
        {"person_id": found, "named_plaintiff": [person in named for person in found]},
        columns=list(TABLES["persons"].column_names),
    )


def _linkage_alternatives(run: LinkRun, record_ids: dict[int, str]) -> pd.DataFrame | None:
    """Each record's cluster at the run's alternative thresholds (version 5), from what the run
    kept (``LinkRun.alternatives``); None for a run made before runs kept them.

    A record the run did not see (imported after it) is a cluster of its own at every
    threshold, as it is a person of its own until the next run.
    """
    kept = run.alternatives or {}
    if not kept.get("thresholds"):
        return None
    seen = np.asarray(kept["records"], dtype=np.int64)
    wanted = np.fromiter(record_ids, dtype=np.int64, count=len(record_ids))
    position = np.searchsorted(seen, wanted)
    found = position < len(seen)
    found[found] = seen[position[found]] == wanted[found]
    clusters = {}
    for threshold, numbers in zip(kept["thresholds"], kept["clusters"], strict=True):
        at = np.full(len(wanted), -1, dtype=np.int64)
        at[found] = np.asarray(numbers, dtype=np.int64)[position[found]]
        clusters[float(threshold)] = at
    own = float(run.threshold)
    if own not in clusters:
        return None
    ids = np.asarray(list(record_ids.values()), dtype=object)
    return alternatives_table(ids, clusters, own)


def build_snapshot_tables(
    project: Project, linkage_run: LinkRun | None = None, *, evidence: bool = True
) -> dict[str, pd.DataFrame]:
    """The project's snapshot tables (schema v5, without events) as pandas data frames.

    ``linkage_run`` is checked to be the project's latest run (the only clustering its persons
    hold); without it the latest run is used. Raises if the project has no records or was
    never linked. Besides the version-1 tables: ``linkage_alternatives`` when the run kept
    its alternative clusterings (also without ``evidence``), ``linkage_review`` always,
    ``declarations``
    and ``paragraph_codings`` when the project has declarations, ``coder_agreement`` when
    paragraphs were coded by two coders or more, and ``coder_kappa`` when exactly two did.
    ``evidence=False`` leaves these out, for a reader that needs only the figures (the
    dashboard: agreement's bootstrap is not free).
    """
    run = _check_linkable(project, linkage_run)
    sources, source_keys = _sources(project)
    records, record_ids = _records(project, source_keys)
    encounters, encounter_ids = _encounters(project, record_ids)
    membership = (
        records.loc[records["person_id"].notna(), ["person_id", "source_id"]]
        .drop_duplicates()
        .reset_index(drop=True)
    )
    tables = {
        "persons": _persons(project, records, encounters),
        "sources": sources,
        "records": records,
        "encounters": encounters,
        "codings": _codings(project, encounter_ids),
        "list_membership": membership,
    }
    alternatives = _linkage_alternatives(run, record_ids)
    if alternatives is not None:
        tables["linkage_alternatives"] = alternatives
    if not evidence:
        return tables
    tables["linkage_review"] = linkage_review_table(project, run)
    tables.update(declaration_tables(project, encounter_ids, encounters))
    if "declarations" in tables:
        tables.update(agreement_tables(project))
    return tables
