"""Build the public report from a snapshot: suppress, audit, then write HTML, PDF, CSV, feed.

``build_public_report(snapshot, out_dir, threshold, approval=None, history=None)`` is the
entry point. Each family of tables (persons, events) is one release for the suppression:
linked tables suppressed together, earlier releases of the same snapshot held fixed, the
audit run, and nothing written unless it passes. A project where no count reaches k gives a
report that says every cell is suppressed, not an error.

What must always hold: what is written holds no identifier, no free text, no date finer than
a month and no pseudonym or exhibit: only the tables' codes and published counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testimonio.analysis import Snapshot, analysis_data
from testimonio.reporting.atomic_output import replaced_folder
from testimonio.reporting.charts import count_chart
from testimonio.reporting.labels import tactic_labels
from testimonio.reporting.pdf import html_to_pdf
from testimonio.reporting.public.feed import write_feed
from testimonio.reporting.public.history import (
    earlier_tables,
    read_history,
    updated_history,
    write_history,
)
from testimonio.reporting.public.render import ReportPage, grid, report_html
from testimonio.reporting.public.tables import MET, PublicTable, release_tables
from testimonio.reporting.suppression import (
    SuppressedRelease,
    SuppressionError,
    column_names,
    suppress_release,
)

__all__ = ["Approval", "PublicResult", "build_public_report"]

HISTORY_FILE = "releases.json"
#: What a public report writes in its folder: an earlier release's entries of these names are
#: replaced (a table dropped since goes); anything else in the folder is kept.
REPORT_ENTRIES = frozenset({"index.html", "index.es.html", "report.pdf", "report.es.pdf",
                            "tables", "feed.xml", HISTORY_FILE})  # fmt: skip


@dataclass(frozen=True)
class Approval:
    """An attorney's approval to publish (who approved stays in the audit log, not here)."""

    approved_on: dt.date


@dataclass(frozen=True)
class PublicResult:
    paths: dict[str, Path]
    release_id: str
    threshold: int
    suppressed: dict[str, int]  # primary, complementary
    all_hidden: bool


def _release_month(snapshot: Snapshot, approval: Approval | None) -> str:
    if approval is not None:
        return approval.approved_on.strftime("%Y-%m")
    created = str(snapshot.manifest.get("created_utc") or "2000-01")
    return created[:7]


def _suppress(
    tables: Sequence[PublicTable], threshold: int, history: list[dict[str, Any]],
    release_id: str, snapshot_sha256: str,
) -> dict[str, tuple[SuppressedRelease, list[PublicTable]]]:  # fmt: skip
    releases = {}
    for family in ("persons", "events"):
        members = [item for item in tables if item.family == family]
        earlier = earlier_tables(history, release_id, snapshot_sha256, tables, family)
        released = suppress_release([item.table for item in members], threshold, earlier)
        releases[family] = (released, members)
    return releases


def _csv_text(released: SuppressedRelease, item: PublicTable) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(column_names(item.table)),
                            lineterminator="\n")  # fmt: skip
    writer.writeheader()
    writer.writerows(released.rows(item.table))
    return buffer.getvalue()


def _tactic_chart(rows_by_table: Mapping[str, list[dict[str, str]]],
                  tables: Sequence[PublicTable], labels: dict[str, dict[str, str]],
                  language: str) -> str:  # fmt: skip
    bars: list[dict[str, Any]] = []
    for item in tables:
        if not item.tactic:
            continue
        for row in rows_by_table[item.table.name]:
            if row[item.tactic] == MET and row["count"]:
                label = labels.get(item.tactic, {}).get(language, item.tactic)
                bars.append({"label": label, "count": int(row["count"])})
    if not bars:
        return ""
    bars.sort(key=lambda bar: (-bar["count"], bar["label"]))
    axis = "personas" if language == "es" else "persons"
    return count_chart("public_tactics", "", bars, axis).svg


def build_public_report(
    snapshot: Snapshot, out_dir: Path, threshold: int, approval: Approval | None = None,
    history: Path | None = None,
) -> PublicResult:  # fmt: skip
    """Write the public report into ``out_dir`` (see the module docstring)."""
    data = analysis_data(snapshot)
    labels = tactic_labels(
        snapshot.sql("SELECT DISTINCT term_code, label_en, label_es FROM codings").fetchall()
    )
    tables = release_tables(data, labels)
    history_path = history or out_dir / HISTORY_FILE
    entries = read_history(history_path)
    release_id = hashlib.sha256(f"{snapshot.sha256}:{threshold}".encode()).hexdigest()[:16]
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise SuppressionError("the publication threshold k must be a whole number >= 1")
    releases = _suppress(tables, threshold, entries, release_id, snapshot.sha256)
    rows = {item.table.name: released.rows(item.table)
            for released, members in releases.values() for item in members}  # fmt: skip
    published = [row for table_rows in rows.values() for row in table_rows
                 if row["count"] not in ("", "0")]  # fmt: skip
    month = _release_month(snapshot, approval)
    status = [kind for released, _ in releases.values() for kind in released.status.values()]
    entry = {
        "id": release_id, "month": month, "threshold": threshold,
        "snapshot_sha256": snapshot.sha256, "approved": approval is not None,
        "title": f"Public report {month} (k = {threshold})", "link": "index.html",
        "summary": f"{len(rows)} tables; {status.count('primary')} small cells and "
        f"{status.count('complementary')} further cells suppressed.",
        "suppressed": {
            item.table.name: sorted([row[d.name] for d in item.table.dimensions]
                                    for row in rows[item.table.name] if row["suppressed"])
            for _, members in releases.values() for item in members
        },
    }  # fmt: skip
    all_entries = updated_history(entries, entry)
    outside = history is not None and Path(os.path.realpath(history)) != Path(
        os.path.realpath(out_dir / HISTORY_FILE)
    )
    with replaced_folder(out_dir, REPORT_ENTRIES, legacy=".public-") as work:
        _write(work, releases, rows, labels, snapshot, threshold, month, approval,
               not published, all_entries)  # fmt: skip
        paths = {source.relative_to(work).as_posix(): out_dir / source.relative_to(work)
                 for source in sorted(work.rglob("*")) if source.is_file()}  # fmt: skip
        if outside and history is not None:
            # Before the report goes out: a kill between the two leaves a history that lists
            # a release not yet published (its cells held fixed for nothing), never a
            # published release the history forgot (a later one could then reveal them).
            write_history(history, all_entries)
    return PublicResult(
        paths, release_id, threshold,
        {"primary": status.count("primary"), "complementary": status.count("complementary")},
        not published,
    )  # fmt: skip


def _write(
    work: Path, releases: Mapping[str, tuple[SuppressedRelease, list[PublicTable]]],
    rows: Mapping[str, list[dict[str, str]]], labels: dict[str, dict[str, str]],
    snapshot: Snapshot, threshold: int, month: str, approval: Approval | None,
    all_hidden: bool, entries: list[dict[str, Any]],
) -> None:  # fmt: skip
    (work / "tables").mkdir()
    members = [item for _, family in releases.values() for item in family]
    for released, family in releases.values():
        for item in family:
            text = _csv_text(released, item)
            (work / "tables" / f"{item.table.name}.csv").write_text(text, encoding="utf-8")
    project = str(snapshot.manifest.get("project", ""))
    for language, name, other in (("en", "index.html", "index.es.html"),
                                  ("es", "index.es.html", "index.html")):  # fmt: skip
        page = ReportPage(
            project,
            month,
            threshold,
            month if approval else "",
            snapshot.sha256,
            all_hidden,
            tuple(grid(item, rows[item.table.name], language) for item in members),
            _tactic_chart(rows, members, labels, language),
        )
        html = report_html(page, language, other)
        (work / name).write_text(html, encoding="utf-8")
        html_to_pdf(html, work / ("report.pdf" if language == "en" else "report.es.pdf"))
    write_history(work / HISTORY_FILE, entries)
    write_feed(work / "feed.xml", project, entries)
