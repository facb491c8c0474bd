"""The figures a project's dashboard shows, computed from a fresh snapshot of the project.

The dashboard reads what analysis reads: the pseudonymised snapshot tables
(:func:`~testimonio.web.snapshots.tables.build_snapshot_tables`), written to a temporary DuckDB
file and loaded, never the identity tables. A project that cannot be analysed (no records,
never linked, a filter with no one) gives its message, never a zero.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from testimonio.analysis import AnalysisData, analysis_data, load_snapshot, write_snapshot
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


def project_data(project: Project) -> AnalysisData:
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


__all__ = ["FILTERS", "FilterChoices", "chosen_filters", "filter_choices", "project_data"]
