"""The public report: suppressed tidy tables, no one identifiable, a feed of every release."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testimonio.analysis import Snapshot, analysis_data
from testimonio.reporting import PublicResult, build_public_report
from testimonio.reporting.public.tables import release_tables
from testimonio.reporting.suppression import SuppressionError, suppress_release
from testimonio.simulation import DrawnWorld
from testimonio.simulation.phrases import TACTIC_WORDS

from .pdf_tools import page_texts

ATOM = "{http://www.w3.org/2005/Atom}"
PHONE = re.compile(r"\+?\d{1,3}[ -]\d{3}[ -]\d{3}[ -]?\d{3,4}")
DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}:\d{2})?")


def public_texts(folder: Path) -> dict[str, str]:
    """Every public output as text: HTML, CSV, feed, history, and the PDFs' text."""
    texts = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix in {".html", ".csv", ".xml", ".json"}:
            texts[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".pdf":
            texts[path.name] = "\n".join(page_texts(path))
    return texts


def folder_of(result: PublicResult) -> Path:
    return result.paths["index.html"].parent


def test_no_name_birth_date_phone_or_narrative_phrase_is_in_any_public_output(
    public_report: PublicResult, world: DrawnWorld
) -> None:
    texts = public_texts(folder_of(public_report))
    assert {"index.html", "index.es.html", "report.pdf", "feed.xml"} <= set(texts)
    population = world.population
    names = {f"{given} {surname}" for given, surname in
             zip(population.given_names, population.paternal_surname, strict=True)}  # fmt: skip
    births = {str(day) for day in population.birth_date.astype("datetime64[D]")}
    phrases = {
        text
        for words in TACTIC_WORDS.values()
        for text in (words.english, words.spanish, words.declaration_en, words.declaration_es)
    }
    for name, text in texts.items():
        assert not [n for n in names if n in text], f"a name in {name}"
        assert not [b for b in births if b in text], f"a birth date in {name}"
        assert not [p for p in phrases if p in text], f"a narrative phrase in {name}"
        assert not PHONE.search(text), f"a phone number in {name}"
        assert "P-0" not in text, f"a pseudonym in {name}"
        assert "Decl. of" not in text and "Ex. " not in text, f"an exhibit in {name}"


def test_no_date_in_the_public_output_is_finer_than_a_month(public_report: PublicResult) -> None:
    for name, text in public_texts(folder_of(public_report)).items():
        for match in DAY.finditer(text):
            assert match.group(3) == "01" and match.group(4) in (None, "T00:00:00"), name


def test_the_csv_tables_are_tidy_with_totals_and_no_published_small_cell(
    public_report: PublicResult,
) -> None:
    tables = sorted((folder_of(public_report) / "tables").glob("*.csv"))
    assert len(tables) >= 4
    for path in tables:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        dimensions = [c for c in rows[0] if c not in ("count", "suppressed")]
        assert all(row[d] == "Total" for row in rows[:1] for d in dimensions), path.name
        for row in rows:
            assert row["suppressed"] in ("", "primary", "complementary")
            assert (row["count"] == "") == (row["suppressed"] != ""), path.name
            assert row["count"] == "" or not 0 < int(row["count"]) < 5, path.name
    assert public_report.suppressed["primary"] > 0


def test_a_project_below_k_everywhere_gives_a_report_that_says_all_is_suppressed(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    result = build_public_report(snapshot, tmp_path, threshold=100_000)
    assert result.all_hidden
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "All cells are suppressed" in page
    assert "Todas las celdas están suprimidas" in (tmp_path / "index.es.html").read_text()


@pytest.mark.slow
def test_the_feed_lists_every_release_and_earlier_published_cells_stay_published(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    build_public_report(snapshot, tmp_path, threshold=8)
    first = {p.name: p.read_text() for p in (tmp_path / "tables").glob("*.csv")}
    build_public_report(snapshot, tmp_path, threshold=5)
    feed = ElementTree.parse(tmp_path / "feed.xml").getroot()  # noqa: S314 (our own file)
    titles = sorted(entry.findtext(f"{ATOM}title") or "" for entry in feed.iter(f"{ATOM}entry"))
    assert [title[-7:] for title in titles] == ["(k = 5)", "(k = 8)"]
    for name, text in first.items():
        before = list(csv.DictReader(text.splitlines()))
        after = list(csv.DictReader((tmp_path / "tables" / name).read_text().splitlines()))
        for old, new in zip(before, after, strict=True):
            if old["count"]:
                assert new["count"] == old["count"], name


def test_a_later_release_cannot_withdraw_a_small_cell_an_earlier_one_published(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    build_public_report(snapshot, tmp_path, threshold=2)
    with pytest.raises(SuppressionError, match="earlier release"):
        build_public_report(snapshot, tmp_path, threshold=20)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(threshold=st.integers(min_value=2, max_value=30))
def test_no_release_of_the_public_tables_publishes_a_cell_under_k(
    snapshot: Snapshot, threshold: int
) -> None:
    data = analysis_data(snapshot)
    tables = release_tables(data, {})
    for family in ("persons", "events"):
        chosen = [item.table for item in tables if item.family == family]
        released = suppress_release(chosen, threshold)
        assert released.audit.passed
        for table in chosen:
            for row in released.rows(table):
                assert row["count"] == "" or not 0 < int(row["count"]) < threshold


def test_the_html_pages_load_nothing_from_elsewhere(public_report: PublicResult) -> None:
    for name in ("index.html", "index.es.html"):
        page = (folder_of(public_report) / name).read_text(encoding="utf-8")
        links = re.findall(r'(?:src|href)="([^"]*)"', page)
        assert links and all(not re.match(r"[a-z]+:", link) for link in links), name
        assert "<svg" in page and "<link" not in page and "<script" not in page, name


def test_solving_prints_no_banner_on_standard_output(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """HiGHS writes a licence banner to file descriptor 1 on its first construction in a
    process; a command's output (``report public``, ``demo``) must stay the command's."""
    import subprocess
    import sys

    script = (
        "from testimonio.reporting.suppression.highs import new_highs\n"
        "new_highs(); new_highs()\n"
        "print('done')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout == "done\n"
