"""Every table of an analysis as plain data frames: what ``analyze --out`` writes to XLSX.

One function gathers the panel, its breakdowns, the disparities of each person field, the
commonality and consistency tables and typicality, so the command line, a notebook and a
report show the same numbers. Plain Python (no Django).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from testimonio.analysis.data import AnalysisData
from testimonio.analysis.panel import EVENT_FIELDS, Figure, standard_panel
from testimonio.analysis.patterns import commonality, disparities, typicality

#: Person fields compared by the disparities sheet when no breakdown is asked for.
DEFAULT_DISPARITY_FIELDS = ("nationality", "gender_identity", "child")


def figure_record(figure: Figure) -> dict[str, Any]:
    """A figure's ``--json`` row with its provenance (snapshot hash and the filter)."""
    return {
        **figure.row(),
        "provenance": {
            "snapshot_sha256": figure.provenance.snapshot_sha256,
            "filter": figure.provenance.filter,
        },
    }


def _figure_frame(figures: Iterable[Figure]) -> pd.DataFrame:
    rows = []
    for figure in figures:
        row = figure.row()
        by = row.pop("by")
        rows.append({"id": row.pop("id"), "by": ", ".join(by), "group": ", ".join(by.values()),
                     **row, "filter": figure.provenance.filter})  # fmt: skip
    return pd.DataFrame(rows)


def analysis_tables(
    data: AnalysisData,
    by: Iterable[str] = (),
    where: Mapping[str, str] | None = None,
    seed: int = 0,
) -> dict[str, pd.DataFrame]:
    """panel, breakdowns, disparities, commonality, consistency, typicality, and linkage when
    the snapshot carries the run's alternative clusterings (sheet -> table)."""
    by = list(by)
    figures = standard_panel(data, by=by, where=where)
    whole = [figure for figure in figures if not figure.by]
    broken = [figure for figure in figures if figure.by]
    person_fields = [field for field in by if field not in EVENT_FIELDS]
    found: list[dict[str, Any]] = []
    for field in person_fields or DEFAULT_DISPARITY_FIELDS:
        found.extend(dataclasses.asdict(item) for item in disparities(data, field))
    common, consistency = commonality(data, seed=seed)
    tables = {
        "panel": _figure_frame(whole),
        "breakdowns": _figure_frame(broken),
        "disparities": pd.DataFrame(found),
        "commonality": pd.DataFrame([dataclasses.asdict(item) for item in common]),
        "consistency": consistency.rename_axis("tactic").reset_index(),
        "typicality": pd.DataFrame([dataclasses.asdict(item) for item in typicality(data)]),
    }
    if data.linkage is not None:
        tables["linkage"] = data.linkage
    return tables


__all__ = ["DEFAULT_DISPARITY_FIELDS", "analysis_tables", "figure_record"]
