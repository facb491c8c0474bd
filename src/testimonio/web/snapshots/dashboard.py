"""The figures a project's dashboard shows, computed from a snapshot of the project.

The dashboard reads what analysis reads: the pseudonymised snapshot tables
(:func:`~testimonio.web.snapshots.tables.build_snapshot_tables`), written to a temporary DuckDB
file and loaded, never the identity tables. A project that cannot be analysed (no records,
never linked, a filter with no one) gives its message, never a zero.

**The cache.** Building the analysis data takes seconds on a large project, so the built
:class:`~testimonio.analysis.AnalysisData` is kept in this process's memory, per project,
under the project's *last-change marker*: the hash of the latest audit event of the project
or of the instance (it covers the event's sequence number and time, so it names one event).
Every write goes through a ``do_*`` function that records an audit event, so any write to
the project's data, a vocabulary load included, moves the marker and the next request
rebuilds. It is not sealed, and need not be: it holds what the snapshot holds (pseudonyms,
coded attributes, vocabulary codes), never a name or any identity field, and it lives in
memory only (nothing is written to disk). At most :data:`CACHED_PROJECTS` projects are kept
(least recently used out first). A cached build is shared by requests, so it must be read,
never changed.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from django.db.models import Q

from testimonio.analysis import (
    SENSITIVITY_FIGURES,
    AnalysisData,
    analysis_data,
    load_snapshot,
    write_snapshot,
)
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.snapshots.tables import (
    build_snapshot_tables,
    latest_linkage_run,
    vocabulary_version,
)

#: Query parameter -> analysis field of the dashboard's filters.
FILTERS = {"port": "port", "period": "quarter", "nationality": "nationality",
           "vulnerability": "vulnerability"}  # fmt: skip


@dataclass
class FilterChoices:
    port: list[str] = field(default_factory=list)
    period: list[str] = field(default_factory=list)
    nationality: list[str] = field(default_factory=list)
    vulnerability: list[str] = field(default_factory=list)


#: How many projects' analysis data the process keeps.
CACHED_PROJECTS = 8
_cache: OrderedDict[int, tuple[str, AnalysisData]] = OrderedDict()
_cache_lock = threading.Lock()


def last_change(project: Project) -> str:
    """The hash of the latest audit event of ``project`` or of the instance ("": none)."""
    latest = (
        AuditEvent.objects.filter(Q(project_id=project.pk) | Q(project_id__isnull=True))
        .order_by("-sequence")
        .values_list("hash", flat=True)
        .first()
    )
    return latest or ""


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def project_data(project: Project) -> AnalysisData:
    """The project's analysis data: the cached build while nothing changed since, else built
    again (a project that cannot be analysed raises, and nothing is cached)."""
    marker = last_change(project)
    with _cache_lock:
        cached = _cache.get(project.pk)
        if cached is not None and cached[0] == marker:
            _cache.move_to_end(project.pk)
            return cached[1]
    data = build_project_data(project)
    with _cache_lock:
        _cache[project.pk] = (marker, data)
        _cache.move_to_end(project.pk)
        while len(_cache) > CACHED_PROJECTS:
            _cache.popitem(last=False)
    return data


def build_project_data(project: Project) -> AnalysisData:
    """The project's analysis data, from a snapshot written to a temporary folder and loaded."""
    run = latest_linkage_run(project)
    tables = build_snapshot_tables(project, run, evidence=False)
    with tempfile.TemporaryDirectory(prefix="testimonio-dashboard-") as folder:
        path = Path(folder) / "snapshot.duckdb"
        write_snapshot(
            tables, path, project=project.slug, vocabulary_version=vocabulary_version(project),
            linkage_run=str(run.pk) if run else "",
        )  # fmt: skip
        snapshot = load_snapshot(path)
        try:
            return analysis_data(snapshot)
        finally:
            snapshot.connection.close()


def filter_choices(data: AnalysisData) -> FilterChoices:
    def values(column: str) -> list[str]:
        present = data.events[column].astype(str).unique()
        return sorted(value for value in present if value != "unknown")

    people = data.persons["nationality"].astype(str).unique()
    return FilterChoices(
        port=values("port"),
        period=values("quarter"),
        nationality=sorted(value for value in people if value != "unknown"),
        vulnerability=sorted(data.vulnerabilities.columns),
    )


def chosen_filters(query: Mapping[str, str]) -> dict[str, str]:
    """The stratum of the request's filters (analysis field -> value); empty values ignored."""
    return {FILTERS[name]: query[name] for name in FILTERS if query.get(name)}


__all__ = [
    "CACHED_PROJECTS",
    "FILTERS",
    "FilterChoices",
    "build_project_data",
    "chosen_filters",
    "clear_cache",
    "filter_choices",
    "last_change",
    "project_data",
]


def linkage_rows(data: AnalysisData) -> list[dict[str, object]]:
    """The dashboard's "how the count depends on linkage" table: per threshold, whether it is
    the run's own, and (count, denominator) of each person figure; empty when not carried."""
    table = data.linkage
    if table is None:
        return []
    rows = []
    for threshold, group in table.groupby("threshold", sort=True):
        counts = group.set_index("id")["count"].astype(int)
        denominators = group.set_index("id")["denominator"].astype(int)
        rows.append(
            {
                "threshold": float(cast(float, threshold)),
                "own": bool(group["own"].iloc[0]),
                "cells": [
                    (int(counts[figure_id]), int(denominators[figure_id]))
                    for figure_id in SENSITIVITY_FIGURES
                ],
            }
        )
    return rows
