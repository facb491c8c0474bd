"""Statistics over people and events, with intervals and provenance, read from a snapshot.

Analysis never reads the live database: it reads the pseudonymised snapshot
(:func:`load_snapshot`, format in docs/snapshot.md) and counts *people* (linked persons) and
*events* (attempts resolved from the reports of several sources), never reports. Plain Python:
no Django import (tests/test_layers.py), usable from a notebook::

    from testimonio.analysis import analysis_data, load_snapshot, standard_panel, figure_rows
    data = analysis_data(load_snapshot("project.duckdb"))
    rows = figure_rows(standard_panel(data, by=["port", "year"]))
"""

from testimonio.analysis.agreement_tables import agreement_frames
from testimonio.analysis.data import AnalysisData, analysis_data
from testimonio.analysis.events import Resolution, resolve_events
from testimonio.analysis.export import analysis_tables, figure_record
from testimonio.analysis.ids import padded_ids
from testimonio.analysis.intervals import Comparison, compare_shares, share_intervals
from testimonio.analysis.linkage_sensitivity import (
    SENSITIVITY_FIGURES,
    alternatives_table,
    linkage_sensitivity,
    sensitivity_lines,
)
from testimonio.analysis.panel import BY_FIELDS, Figure, Provenance, figure_rows, standard_panel
from testimonio.analysis.patterns import (
    Commonality,
    Disparity,
    Typicality,
    commonality,
    disparities,
    typicality,
)
from testimonio.analysis.provenance import behind
from testimonio.analysis.snapshot import Snapshot, load_snapshot, write_snapshot
from testimonio.analysis.snapshot_schema import SCHEMA_VERSION, TABLES
from testimonio.analysis.whole_class import (
    ASSUMPTION,
    ClassTotal,
    PopulationEstimate,
    class_total_lines,
    class_totals,
)

__all__ = [
    "ASSUMPTION",
    "AnalysisData",
    "BY_FIELDS",
    "ClassTotal",
    "Commonality",
    "Comparison",
    "Disparity",
    "Figure",
    "PopulationEstimate",
    "Provenance",
    "Resolution",
    "SCHEMA_VERSION",
    "SENSITIVITY_FIGURES",
    "Snapshot",
    "TABLES",
    "Typicality",
    "agreement_frames",
    "alternatives_table",
    "analysis_data",
    "analysis_tables",
    "behind",
    "class_total_lines",
    "class_totals",
    "commonality",
    "compare_shares",
    "disparities",
    "figure_record",
    "figure_rows",
    "linkage_sensitivity",
    "load_snapshot",
    "padded_ids",
    "resolve_events",
    "sensitivity_lines",
    "share_intervals",
    "standard_panel",
    "typicality",
    "write_snapshot",
]
