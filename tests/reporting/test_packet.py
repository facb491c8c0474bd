"""The evidence packet: DOCX, PDF and XLSX from one snapshot, Bates-numbered, reproducible."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from testimonio.analysis import Snapshot
from testimonio.errors import InputError
from testimonio.reporting import (
    EstimateInput,
    Exhibit,
    PacketResult,
    PacketSettings,
    build_evidence_packet,
)
from testimonio.reporting.packet import packet_content

from .pdf_tools import page_image, page_texts

BATES = re.compile(r"CASE-7-(\d{6})")


def test_the_packet_is_a_docx_a_pdf_an_xlsx_and_a_manifest(packet: PacketResult) -> None:
    assert {"docx", "pdf", "xlsx", "manifest"} <= set(packet.paths)
    document = zipfile.ZipFile(packet.paths["docx"]).read("word/document.xml").decode()
    assert "Summary of findings" in document and "Exhibit index" in document
    assert page_texts(packet.paths["pdf"])[0].count("Summary of findings") == 1


def test_the_xlsx_appendix_has_every_table_of_the_packet(
    packet: PacketResult, snapshot: Snapshot
) -> None:
    content = packet_content(snapshot, PacketSettings())
    workbook = load_workbook(packet.paths["xlsx"], read_only=True)
    assert len(workbook.sheetnames) == 1 + len(content.tables())
    index = [row[1] for row in workbook["index"].iter_rows(min_row=2, values_only=True)]
    assert index == [table.title for table in content.tables()]


def test_bates_numbers_run_on_from_the_packet_into_the_exhibit(packet: PacketResult) -> None:
    packet_pages, exhibit = packet.bates
    numbers = []
    for item in packet.bates:
        for text in page_texts(item.path):
            found = BATES.findall(text)
            assert len(found) == 1, "every page carries exactly one Bates number"
            numbers.append(int(found[0]))
    assert numbers == list(range(1, len(numbers) + 1))
    assert exhibit.first == packet_pages.last + 1 and exhibit.last - exhibit.first == 1
    assert "Exhibit page 2" in page_texts(exhibit.path)[1]


def test_a_chart_image_is_drawn_on_the_chart_page(packet: PacketResult, tmp_path: Path) -> None:
    texts = page_texts(packet.paths["pdf"])
    chart_page = next(n for n, text in enumerate(texts, 1) if "Tactics met by persons" in text)
    chart = page_image(packet.paths["pdf"], chart_page, tmp_path)
    text_only = page_image(packet.paths["pdf"], 1, tmp_path)
    assert bar_rows(chart) >= 20
    assert bar_rows(text_only) == 0


def bar_rows(image: np.ndarray) -> int:
    """Pixel rows crossing a filled bar: a run of 15+ pixels of the bars' grey (#b0b0b0).

    Anti-aliased text has grey pixels too, but never such a run.
    """
    grey = ((image > 165) & (image < 190)).astype(np.int8)
    runs = 0
    for row in grey:
        edges = np.diff(np.concatenate(([0], row, [0])))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        runs += bool(np.any(ends - starts >= 15))
    return runs


@pytest.mark.slow
def test_the_same_snapshot_and_settings_give_the_same_packet(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    settings = PacketSettings(by=("year",))
    first = build_evidence_packet(snapshot, tmp_path / "first", settings)
    second = build_evidence_packet(snapshot, tmp_path / "second", settings)
    assert first.sha256 == second.sha256
    xml = [zipfile.ZipFile(r.paths["docx"]).read("word/document.xml") for r in (first, second)]
    assert xml[0] == xml[1]
    assert page_texts(first.paths["pdf"]) == page_texts(second.paths["pdf"])
    other = build_evidence_packet(snapshot, tmp_path / "other", PacketSettings(by=("port",)))
    assert other.sha256 != first.sha256


def test_without_an_estimate_the_packet_says_not_estimated(snapshot: Snapshot) -> None:
    content = packet_content(snapshot, PacketSettings(by=()))
    section = next(s for s in content.sections if s.id == "estimate")
    assert section.paragraphs[0].startswith("Not estimated")


def test_an_estimate_is_shown_with_its_method_sensitivity_and_assumptions(
    snapshot: Snapshot,
) -> None:
    estimate = {"method": "loglinear", "observed": 900, "estimate": 1480.4, "lower": 1302.0,
                "upper": 1711.9, "level": 0.95,
                "sensitivity": [{"method": "lcmcr", "estimate": 1510, "lower": 1290,
                                 "upper": 1800}],
                "assumptions": ["Lists are a closed population over 2016-2019."]}  # fmt: skip
    content = packet_content(snapshot, PacketSettings(by=(), estimate=estimate))
    section = next(s for s in content.sections if s.id == "estimate")
    assert "Method: loglinear" in section.paragraphs[0]
    assert "1,480 (95% interval 1,302 to 1,712)" in section.paragraphs[1]
    assert section.tables[0].rows == (("lcmcr", "1,510", "1,290", "1,800"),)
    assert section.tables[1].rows[0][0] == "Assumption"


def test_an_estimate_without_its_interval_is_refused() -> None:
    with pytest.raises(InputError, match="lower, upper"):
        EstimateInput.from_mapping({"method": "dga", "observed": 3, "estimate": 9})


def test_an_empty_exhibit_index_says_so_and_a_full_one_cites_paragraphs(
    snapshot: Snapshot,
) -> None:
    empty = packet_content(snapshot, PacketSettings(by=()))
    index = next(s for s in empty.sections if s.id == "exhibits")
    assert "exhibit index is empty" in index.paragraphs[0] and not index.tables
    exhibit = Exhibit(12, "P-0000123", "2018-06", "2302-DRT", "spa", True,
                      {"TAC.MISINFO.NO_ASYLUM": (7,), "TAC.THREAT.DETENTION": (9, 11)})  # fmt: skip
    full = packet_content(snapshot, PacketSettings(by=(), exhibits=(exhibit,)))
    row = next(s for s in full.sections if s.id == "exhibits").tables[0].rows[0]
    assert row[:6] == ("12", "P-0000123", "2018-06", "2302-DRT", "spa", "yes")
    assert "Ex. 12 (Decl. of P-0000123) ¶ 7" in row[6]
    assert "Ex. 12 (Decl. of P-0000123) ¶¶ 9, 11" in row[6]


def test_a_bad_bates_prefix_is_refused_before_anything_is_written(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="Bates prefix"):
        build_evidence_packet(snapshot, tmp_path / "out", PacketSettings(bates_prefix="a b"))
    assert not (tmp_path / "out").exists()


def test_an_exhibit_that_is_not_a_pdf_names_the_file_and_leaves_nothing(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    out = tmp_path / "out"
    with pytest.raises(InputError, match="broken.pdf"):
        build_evidence_packet(snapshot, out, PacketSettings(by=(), exhibit_pdfs=(broken,)))
    assert not out.exists()  # the folder is as it was: none
