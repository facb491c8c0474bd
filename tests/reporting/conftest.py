"""A simulated world's snapshot, and the packet and public report built from it once."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.analysis import Snapshot, load_snapshot, write_snapshot
from testimonio.analysis.from_simulation import ReportingStyle, snapshot_tables
from testimonio.analysis.simulated_declarations import simulated_declarations
from testimonio.reporting import (
    PacketResult,
    PacketSettings,
    PublicResult,
    build_evidence_packet,
    build_public_report,
)
from testimonio.simulation import DrawnWorld, default_config, draw_world

STYLE = ReportingStyle(month_share=0.2, year_share=0.05, named_plaintiffs=2, seed=3)


@pytest.fixture(scope="session")
def world() -> DrawnWorld:
    return draw_world(default_config(people=1500, seed=11))


#: Simulated declarations filed as exhibits in the shared snapshot.
EXHIBITS = 40


@pytest.fixture(scope="session")
def snapshot_path(world: DrawnWorld, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The world's snapshot with its first declarations as exhibits, coded and double-coded."""
    path = tmp_path_factory.mktemp("snapshot") / "world.duckdb"
    tables = snapshot_tables(world, STYLE)
    tables.update(simulated_declarations(tables, EXHIBITS, seed=STYLE.seed))
    write_snapshot(tables, path, project="simulated")
    return path


@pytest.fixture(scope="session")
def bare_snapshot(world: DrawnWorld, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The same world's snapshot as schema version 1 wrote it: no declarations, no review."""
    path = tmp_path_factory.mktemp("bare") / "world.duckdb"
    write_snapshot(snapshot_tables(world, STYLE), path, project="simulated")
    return load_snapshot(path)


@pytest.fixture(scope="session")
def snapshot(snapshot_path: Path) -> Snapshot:
    return load_snapshot(snapshot_path)


@pytest.fixture(scope="session")
def exhibit_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-page stand-in for a declaration exhibit (US letter, drawn with fpdf2)."""
    from fpdf import FPDF

    path = tmp_path_factory.mktemp("exhibits") / "declaration.pdf"
    document = FPDF(unit="pt", format="letter")
    document.set_font("helvetica", size=12)
    for number in (1, 2):
        document.add_page()
        document.text(72, 92, f"Exhibit page {number}")
    document.output(str(path))
    return path


@pytest.fixture(scope="session")
def packet(snapshot: Snapshot, exhibit_pdf: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> PacketResult:  # fmt: skip
    settings = PacketSettings(bates_prefix="CASE-7", exhibit_pdfs=(exhibit_pdf,))
    return build_evidence_packet(snapshot, tmp_path_factory.mktemp("packet"), settings)


@pytest.fixture(scope="session")
def public_report(snapshot: Snapshot, tmp_path_factory: pytest.TempPathFactory) -> PublicResult:
    return build_public_report(snapshot, tmp_path_factory.mktemp("public"), threshold=5)
