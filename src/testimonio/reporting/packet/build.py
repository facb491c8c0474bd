"""Build the evidence packet from a snapshot: content once, then DOCX, PDF (Bates) and XLSX.

``build_evidence_packet(snapshot, out_dir, settings)`` is the one entry point (the CLI and the
web call it). Files are written into a work folder beside the final ones and moved into place
only when all of them exist, so a failure leaves nothing half-written. The result carries
each file's path and the packet's SHA-256 (over every file's hash, in name order), which the
web adapter records in the audit chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testimonio.analysis import (
    PopulationEstimate,
    Snapshot,
    analysis_data,
    class_totals,
    commonality,
    standard_panel,
    typicality,
)
from testimonio.reporting.atomic_output import replaced_folder
from testimonio.reporting.labels import tactic_labels
from testimonio.reporting.packet.appendix import (
    estimate_section,
    methods_section,
    provenance_section,
)
from testimonio.reporting.packet.bates import BatesRange, check_prefix, stamp_bates
from testimonio.reporting.packet.content import EstimateInput, Exhibit, PacketContent
from testimonio.reporting.packet.docx import write_docx
from testimonio.reporting.packet.exhibits import exhibit_section, snapshot_exhibits
from testimonio.reporting.packet.html import packet_html
from testimonio.reporting.packet.sections import (
    breakdown_sections,
    chart_section,
    commonality_section,
    panel_section,
    summary_section,
    typicality_section,
)
from testimonio.reporting.packet.xlsx import write_xlsx
from testimonio.reporting.pdf import html_to_pdf

__all__ = [
    "PACKET_FILES",
    "PacketResult",
    "PacketSettings",
    "build_evidence_packet",
    "packet_content",
    "snapshot_time",
]

DEFAULT_BY = ("port", "year", "nationality", "gender_identity", "age_band")
PACKET_FILES = {
    "docx": "evidence-packet.docx",
    "pdf": "evidence-packet.pdf",
    "xlsx": "evidence-packet-tables.xlsx",
    "manifest": "packet-manifest.json",
}
#: What a packet writes in its folder: an earlier packet's entries of these names are replaced
#: (an exhibit dropped since goes); anything else in the folder is kept.
PACKET_ENTRIES = frozenset({*PACKET_FILES.values(), "exhibits", "unstamped"})


@dataclass(frozen=True)
class PacketSettings:
    """What, besides the snapshot, decides the packet (all of it is in its manifest)."""

    title: str = "Evidence packet"
    bates_prefix: str = "TESTIMONIO"
    bates_start: int = 1
    by: tuple[str, ...] = DEFAULT_BY
    estimate: EstimateInput | Mapping[str, Any] | None = None
    exhibits: tuple[Exhibit, ...] = ()
    exhibit_pdfs: tuple[Path, ...] = ()
    seed: int = 0

    def estimate_input(self) -> EstimateInput | None:
        if self.estimate is None or isinstance(self.estimate, EstimateInput):
            return self.estimate
        return EstimateInput.from_mapping(self.estimate)

    def described(self) -> dict[str, Any]:
        return {
            "title": self.title, "bates_prefix": self.bates_prefix,
            "bates_start": self.bates_start, "by": list(self.by), "seed": self.seed,
            "estimate": None if self.estimate is None else str(self.estimate_input()),
            "exhibits": [exhibit.number for exhibit in self.exhibits],
            "exhibit_pdfs": [path.name for path in self.exhibit_pdfs],
        }  # fmt: skip


@dataclass(frozen=True)
class PacketResult:
    paths: dict[str, Path]
    sha256: str
    bates: list[BatesRange] = field(default_factory=list)


def snapshot_time(snapshot: Snapshot) -> dt.datetime:
    """When the snapshot was written: the packet's only date, so runs do not differ."""
    text = str(snapshot.manifest.get("created_utc") or "2000-01-01T00:00:00+00:00")
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def packet_content(snapshot: Snapshot, settings: PacketSettings) -> PacketContent:
    """The packet's sections from the snapshot's figures (no file written)."""
    data = analysis_data(snapshot)
    labels = tactic_labels(
        snapshot.sql("SELECT DISTINCT term_code, label_en, label_es FROM codings").fetchall()
    )
    figures = standard_panel(data, by=settings.by)
    common, consistency = commonality(data, seed=settings.seed)
    estimate = settings.estimate_input()
    totals = (
        class_totals(data, [PopulationEstimate(estimate.estimate, estimate.lower, estimate.upper,
                                               estimate.level, method=estimate.method)],
                     seed=settings.seed)
        if estimate is not None else []
    )  # fmt: skip
    sections = (
        summary_section(figures, labels),
        panel_section(figures, labels),
        breakdown_sections(figures, settings.by, labels),
        chart_section(figures, labels),
        estimate_section(estimate, totals, labels),
        commonality_section(common, consistency, labels),
        typicality_section(typicality(data), labels),
        exhibit_section(settings.exhibits or snapshot_exhibits(snapshot), labels, figures),
        methods_section(snapshot, data.conflicts, len(data.events), labels, data.linkage),
        provenance_section(figures, snapshot),
    )
    return PacketContent(
        title=settings.title,
        project=str(snapshot.manifest.get("project", "")),
        snapshot_sha256=snapshot.sha256,
        snapshot_created=snapshot_time(snapshot).isoformat(timespec="seconds"),
        sections=sections,
    )


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_evidence_packet(
    snapshot: Snapshot, out_dir: Path, settings: PacketSettings | None = None
) -> PacketResult:
    """Write the packet's DOCX, Bates-stamped PDF (and stamped exhibits), XLSX and manifest."""
    settings = settings or PacketSettings()
    check_prefix(settings.bates_prefix)
    content = packet_content(snapshot, settings)
    when = snapshot_time(snapshot)
    with replaced_folder(out_dir, PACKET_ENTRIES, legacy=".packet-") as work:
        ranges = _write_files(content, settings, work, when)
        hashes = {path.relative_to(work).as_posix(): _file_hash(path)
                  for path in sorted(work.rglob("*")) if path.is_file()}  # fmt: skip
        manifest = {
            "snapshot_sha256": snapshot.sha256, "settings": settings.described(),
            "files": hashes,
            "bates": [{"file": item.path.relative_to(work).as_posix(), "first": item.first,
                       "last": item.last, "label": item.label} for item in ranges],
        }  # fmt: skip
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        (work / PACKET_FILES["manifest"]).write_text(text, encoding="utf-8")
        paths = _final_paths(work, out_dir)
    combined = "".join(f"{name}:{digest}\n" for name, digest in sorted(hashes.items()))
    moved = [BatesRange(out_dir / item.path.relative_to(work), item.first, item.last,
                        item.prefix) for item in ranges]  # fmt: skip
    return PacketResult(paths, hashlib.sha256(combined.encode()).hexdigest(), moved)


def _write_files(
    content: PacketContent, settings: PacketSettings, work: Path, when: dt.datetime
) -> list[BatesRange]:
    write_docx(content, work / PACKET_FILES["docx"], when)
    write_xlsx(content, work / PACKET_FILES["xlsx"], when)
    unstamped = work / "unstamped"
    unstamped.mkdir()
    html_to_pdf(packet_html(content), unstamped / PACKET_FILES["pdf"])
    (work / "exhibits").mkdir()
    sources = [unstamped / PACKET_FILES["pdf"], *settings.exhibit_pdfs]
    targets = [work / PACKET_FILES["pdf"], *_exhibit_targets(work, settings.exhibit_pdfs)]
    ranges = stamp_bates(sources, targets, settings.bates_prefix, settings.bates_start)
    shutil.rmtree(unstamped)
    if not settings.exhibit_pdfs:
        (work / "exhibits").rmdir()
    return ranges


def _exhibit_targets(work: Path, exhibits: Sequence[Path]) -> list[Path]:
    return [work / "exhibits" / f"{number:03d}-{path.stem}.pdf"
            for number, path in enumerate(exhibits, start=1)]  # fmt: skip


def _final_paths(work: Path, out_dir: Path) -> dict[str, Path]:
    """Where each file of the staging folder will be once it replaces ``out_dir``."""
    paths: dict[str, Path] = {}
    for source in sorted(work.rglob("*")):
        if source.is_dir():
            continue
        key = next((kind for kind, name in PACKET_FILES.items() if name == source.name),
                   source.relative_to(work).as_posix())  # fmt: skip
        paths[key] = out_dir / source.relative_to(work)
    return paths
