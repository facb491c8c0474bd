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
from testimonio.reporting.packet.exhibits import PRINTED_CITATIONS

from .conftest import EXHIBITS
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
    totals = section.tables[2]  # the estimate times each documented share
    assert totals.id == "class_totals" and "representativeness" in totals.note
    assert "representativeness" in section.paragraphs[-1]
    turned = next(row for row in totals.rows if row[0] == totals.rows[0][0])
    low, high = (float(value.replace(",", "")) for value in turned[4].split(" to "))
    assert low < float(turned[3].replace(",", "")) < high


def test_an_estimate_without_its_interval_is_refused() -> None:
    with pytest.raises(InputError, match="lower, upper"):
        EstimateInput.from_mapping({"method": "dga", "observed": 3, "estimate": 9})


def test_an_empty_exhibit_index_says_so_and_a_full_one_cites_paragraphs(
    bare_snapshot: Snapshot,
) -> None:
    empty = packet_content(bare_snapshot, PacketSettings(by=()))
    index = next(s for s in empty.sections if s.id == "exhibits")
    assert "exhibit index is empty" in index.paragraphs[0] and not index.tables
    exhibit = Exhibit(12, "P-0000123", "2018-06", "2302-DRT", "spa", True,
                      {"TAC.MISINFO.NO_ASYLUM": (7,), "TAC.THREAT.DETENTION": (9, 11)})  # fmt: skip
    full = packet_content(bare_snapshot, PacketSettings(by=(), exhibits=(exhibit,)))
    tables = {t.id: t for t in next(s for s in full.sections if s.id == "exhibits").tables}
    row = tables["exhibit_index"].rows[0]
    assert row[:6] == ("12", "P-0000123", "2018-06", "2302-DRT", "spa", "yes")
    assert row[6] == "TAC.MISINFO.NO_ASYLUM ¶ 7; TAC.THREAT.DETENTION ¶¶ 9, 11"
    assert exhibit.citation((9, 11)) == "Ex. 12 (Decl. of P-0000123) ¶¶ 9, 11"


def test_citations_join_runs_of_paragraphs_and_name_the_docket_entry() -> None:
    exhibit = Exhibit("4-A", "P-0000007", "", "", "eng", False, ecf_reference="45-3")
    assert (
        exhibit.citation(["9", "7", "8", "11"])
        == "Ex. 4-A (Decl. of P-0000007), ECF No. 45-3, ¶¶ 7-9, 11"
    )
    assert exhibit.citation([]) == "Ex. 4-A (Decl. of P-0000007), ECF No. 45-3"
    ordered = sorted([Exhibit(n, "P", "", "", "", False) for n in ("10", "9", "9-A", 2)],
                     key=Exhibit.sort_key)  # fmt: skip
    assert [str(e.number) for e in ordered] == ["2", "9", "9-A", "10"]


def test_the_snapshot_declarations_become_the_exhibit_index_in_filing_order(
    snapshot: Snapshot,
) -> None:
    content = packet_content(snapshot, PacketSettings(by=()))
    tables = {table.id: table for table in content.tables()}
    index = tables["exhibit_index"]
    declarations = snapshot.frame("declarations").set_index("exhibit")
    filed = len(declarations)
    assert 10 <= filed <= EXHIBITS  # the world's declarants, at most EXHIBITS of them
    assert [row[0] for row in index.rows] == [str(n) for n in range(1, filed + 1)]
    codings = snapshot.frame("paragraph_codings")
    for number, pseudonym, signed, port, language, interpreter, cited in index.rows[:10]:
        row = declarations.loc[number]
        assert pseudonym == row["person_id"] and signed == str(row["date_signed"].date())
        assert port == ", ".join(row["ports"].split()) and language == row["language"]
        assert interpreter == ("yes" if row["interpreter"] else "no")
        mine = codings[codings["declaration_id"] == row["declaration_id"]]
        for code, paragraphs in mine.groupby("term_code")["paragraph"]:
            numbers = sorted({int(p) for p in paragraphs})
            mark = "¶" if len(numbers) == 1 else "¶¶"
            assert f"{code} {mark} {numbers[0]}" in cited


def test_each_tactic_finding_is_printed_beside_the_exhibits_that_attest_it(
    snapshot: Snapshot,
) -> None:
    content = packet_content(snapshot, PacketSettings(by=()))
    tables = {table.id: table for table in content.tables()}
    findings = tables["findings_cited"]
    every = tables["citations_every_exhibit"]
    assert not every.printed and findings.printed
    codings = snapshot.frame("paragraph_codings")
    cited_codes = {row[0] for row in every.rows}
    assert cited_codes == set(codings["term_code"])
    for code in cited_codes:
        expected = codings.loc[codings["term_code"] == code, "declaration_id"].nunique()
        assert sum(row[0] == code for row in every.rows) == expected
    long_lists = [row for row in findings.rows if "(XLSX appendix)" in row[3]]
    assert long_lists  # the shared snapshot has tactics cited by more than eight exhibits
    assert all(row[3].count("Ex. ") == PRINTED_CITATIONS for row in long_lists)
    assert all(re.match(r"\d+ of \d+ \(\d+\.\d%\)", row[1]) for row in findings.rows)


def test_the_methods_appendix_reports_coder_agreement_and_says_what_is_not_measured(
    snapshot: Snapshot, bare_snapshot: Snapshot
) -> None:
    content = packet_content(snapshot, PacketSettings(by=()))
    tables = {table.id: table for table in content.tables()}
    agreement = snapshot.frame("coder_agreement")
    rows = tables["methods_coder_agreement"].rows
    assert len(rows) == len(agreement)
    for row, (_, truth) in zip(rows, agreement.sort_values("term_code").iterrows(), strict=True):
        assert row[1] == str(truth["paragraphs"]) and row[2] == "2"
        low = truth["alpha"] != truth["alpha"] or truth["alpha"] < 0.667
        assert (row[6] == "below 0.667") == low
    kappa = snapshot.frame("coder_kappa").set_index("term_code")["kappa"]
    assert set(kappa.index) == set(agreement["term_code"])  # two coders: kappa for every term
    for row, code in zip(rows, sorted(agreement["term_code"]), strict=True):
        value = kappa[code]
        assert row[7] == ("undefined" if value != value else f"{value:.3f}")
    methods = next(s for s in content.sections if s.id == "methods")
    text = " ".join(methods.paragraphs)
    assert "Krippendorff's alpha" in text and "review queue's figures" in text
    assert "Cohen's kappa is given beside alpha" in text
    bare = next(s for s in packet_content(bare_snapshot, PacketSettings(by=())).sections
                if s.id == "methods")  # fmt: skip
    bare_text = " ".join(bare.paragraphs)
    assert "agreement was not measured" in bare_text
    assert "does not carry the review queue" in bare_text
    assert {t.id for t in bare.tables} == {"methods_linkage", "methods_reconciliation"}


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
