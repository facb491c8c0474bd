"""The packet's supporting sections: the estimate, the exhibits, the methods, provenance.

What the snapshot does not hold is said, not guessed: without an estimate the section says
the population was not estimated; without declarations the exhibit index says it is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from testimonio.analysis import ASSUMPTION, ClassTotal, Figure, Snapshot
from testimonio.analysis.linkage_sensitivity import SENSITIVITY_FIGURES
from testimonio.reporting.labels import TacticLabels, figure_label
from testimonio.reporting.packet.content import EstimateInput, Section, TableBlock
from testimonio.reporting.packet.methods import (
    agreement_table,
    declaration_exclusions,
    review_table,
)
from testimonio.reporting.packet.sections import provenance_tables

__all__ = ["estimate_section", "methods_section", "provenance_section"]


def _whole(value: float) -> str:
    return f"{value:,.0f}"


def class_totals_table(totals: Sequence[ClassTotal], tactics: TacticLabels) -> TableBlock:
    """The estimate times each documented share: the experience's total in the whole class."""
    return TableBlock(
        "class_totals", "Totals for the whole class (estimate times documented share)",
        ("Experience", "Documented", "Share of documented", "Class total", "95% interval"),
        tuple(
            (figure_label(row.figure_id, tactics), f"{row.documented:,}",
             f"{row.share:.1%}", _whole(row.total), f"{_whole(row.lower)} to {_whole(row.upper)}")
            for row in totals
        ),
        ASSUMPTION,
    )  # fmt: skip


def estimate_section(
    estimate: EstimateInput | None,
    totals: Sequence[ClassTotal] = (),
    tactics: TacticLabels | None = None,
) -> Section:
    title = "Population estimate"
    if estimate is None:
        return Section(
            "estimate", title,
            ("Not estimated: no population estimate was given for this packet. The figures "
             "above count documented people only.",),
        )  # fmt: skip
    level = f"{100 * estimate.level:.0f}%"
    lines: tuple[str, ...] = (
        f"Method: {estimate.method}. Documented persons: {estimate.observed:,}.",
        f"Estimated total: {_whole(estimate.estimate)} ({level} interval "
        f"{_whole(estimate.lower)} to {_whole(estimate.upper)}).",
    )
    tables = []
    if estimate.sensitivity:
        tables.append(
            TableBlock(
                "estimate_sensitivity",
                "Sensitivity: the estimate under other methods",
                ("Method", "Estimate", "Lower", "Upper"),
                tuple(
                    (
                        str(row.get("method", "")),
                        _cell(row.get("estimate")),
                        _cell(row.get("lower")),
                        _cell(row.get("upper")),
                    )
                    for row in estimate.sensitivity
                ),
            )  # fmt: skip
        )
    listed = [("Assumption", text) for text in estimate.assumptions]
    listed += [("Diagnostic", text) for text in estimate.diagnostics]
    if listed:
        tables.append(
            TableBlock(
                "estimate_assumptions",
                "Assumptions and diagnostics",
                ("Kind", "Text"),
                tuple(listed),
            )  # fmt: skip
        )
    if totals:
        tables.append(class_totals_table(totals, tactics or {}))
        lines += (ASSUMPTION,)
    return Section("estimate", title, lines, tuple(tables))


def _cell(value: Any) -> str:
    try:
        return _whole(float(value))
    except (TypeError, ValueError):
        return ""


def _linkage_rows(snapshot: Snapshot) -> tuple[tuple[str, str], ...]:
    counts = snapshot.sql(
        """SELECT count(*), count(person_id), count(DISTINCT person_id),
                  count(DISTINCT source_id) FROM records"""
    ).fetchall()[0]
    records, linked, persons, sources = (int(value) for value in counts)
    tables = snapshot.manifest.get("tables", {})
    return (
        ("Sources (lists)", str(sources)),
        ("Records", str(records)),
        ("Records linked to a person", str(linked)),
        ("Records not linked (left out of every figure)", str(records - linked)),
        ("Persons (linked clusters)", str(persons)),
        ("Records per person", f"{linked / persons:.2f}" if persons else ""),
        ("Encounters (reports of an attempt)", str(tables.get("encounters", {}).get("rows", 0))),
        ("Linkage run", str(snapshot.manifest.get("linkage_run") or "not recorded")),
        ("Vocabulary version", str(snapshot.manifest.get("vocabulary_version") or "not recorded")),
    )


def linkage_sensitivity_table(linkage: Any) -> tuple[TableBlock | None, str]:
    """The person-counts at each of the linkage run's thresholds, and the sentence saying what
    they show (or that the snapshot does not carry them)."""
    if linkage is None:
        return None, (
            "How much the counts depend on linkage was not measured: the snapshot does not "
            "carry the linkage run's alternative clusterings (runs keep them since snapshot "
            "schema version 5)."
        )
    rows = []
    for threshold, group in linkage.groupby("threshold", sort=True):
        cells = group.set_index("id")
        own = " (the run's)" if bool(group["own"].iloc[0]) else ""
        values = [f"{cast(float, threshold):.2f}{own}"]
        for figure_id in SENSITIVITY_FIGURES:
            count, denominator = (
                int(cells.loc[figure_id, key]) for key in ("count", "denominator")
            )
            values.append(f"{count:,} of {denominator:,}" if denominator else f"{count:,}")
        rows.append(tuple(values))
    table = TableBlock(
        "methods_linkage_sensitivity", "How the counts depend on linkage",
        ("Linkage threshold", "Persons", "Turned away", "Turned away repeatedly",
         "Expressed fear, then turned away"),
        tuple(rows),
    )  # fmt: skip
    return table, (
        "How the counts depend on linkage: the same records linked at each threshold of the "
        "linkage run (a lower threshold joins more records into one person), the reports "
        "resolved into events again and the persons counted; the run's own threshold gives "
        "the figures of this packet (docs/methods.md, 'How much the counts depend on linkage')."
    )


def methods_section(
    snapshot: Snapshot,
    conflicts: dict[str, int],
    events: int,
    tactics: TacticLabels,
    linkage: Any = None,
) -> Section:
    """How records were linked and how well, how much the counts depend on it, how well
    declarations were coded, what was reconciled, and what was excluded or suppressed and
    why. ``linkage`` is :attr:`AnalysisData.linkage` (None: not carried by the snapshot)."""
    linkage_block = TableBlock(
        "methods_linkage", "Linkage: how records became persons", ("Measure", "Value"),
        _linkage_rows(snapshot),
    )  # fmt: skip
    review, review_note = review_table(snapshot)
    sensitivity, sensitivity_note = linkage_sensitivity_table(linkage)
    agreement, agreement_note = agreement_table(snapshot, tactics)
    reconciled = TableBlock(
        "methods_reconciliation", "Events and reconciled answers", ("Measure", "Value"),
        (("Events (attempts resolved from all reports)", str(events)),
         ("Events whose sources disagree on fear expressed", str(conflicts["fear_expressed"])),
         ("Events whose sources disagree on the outcome", str(conflicts["turned_away"]))),
    )  # fmt: skip
    paragraphs = (
        "Linkage: records from every list were linked into persons by a probabilistic model "
        "(docs/linkage.md); pairs it was unsure of went to a review queue, where a person "
        f"decided them. {review_note}",
        sensitivity_note,
        f"Coding of declarations: {agreement_note}",
        "Fear was expressed at an event if any report of it says so; the person was turned "
        "away if any report gives a turn-back outcome; a tactic was met if any report is coded "
        "with it (docs/methods.md, 'Events and the panel').",
        "Intervals: Wilson's score interval, or the exact Clopper-Pearson interval where fewer "
        "than five people are counted or not counted.",
        "Exclusions: records not linked to a person and encounters without a linked person are "
        "left out; dates known only to the year are left out of month and quarter breakdowns "
        f"('unknown'). {declaration_exclusions(snapshot)}",
        "Suppression: none in this packet, which is filed with the court (under seal or in its "
        "redacted form). The public report suppresses small cells (docs/methods.md, "
        "'Small-cell suppression').",
    )
    blocks = (linkage_block, sensitivity, review, agreement, reconciled)
    tables = tuple(t for t in blocks if t is not None)
    return Section("methods", "Methods appendix", paragraphs, tables)


def provenance_section(figures: Sequence[Figure], snapshot: Snapshot) -> Section:
    manifest = snapshot.manifest
    paragraphs = (
        f"Snapshot SHA-256: {snapshot.sha256} (project {manifest.get('project', '')}, "
        f"written {manifest.get('created_utc', '')}, schema version "
        f"{manifest.get('schema_version', '')}).",
        "Each figure below can be re-computed from the snapshot with its filter; the persons "
        "and events behind it are listed by the analysis core's provenance lookup.",
    )
    tables = TableBlock(
        "snapshot_tables", "Snapshot tables", ("Table", "Rows", "SHA-256"),
        tuple((name, str(entry.get("rows", "")), str(entry.get("sha256", "")))
              for name, entry in sorted(manifest.get("tables", {}).items())),
    )  # fmt: skip
    return Section(
        "provenance",
        "Provenance",
        paragraphs,
        (tables, *provenance_tables(figures, snapshot.sha256)),
    )
