"""A project's declarations in its snapshot (schema v2): exhibits, codings, review, agreement.

The world's own declaration documents are added, linked, numbered and coded through the
declarations app's actions; the snapshot must carry their numbers and codes, the review queue's
figures and the coders' agreement, and not one word of a paragraph nor any name.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from testimonio.analysis import load_snapshot
from testimonio.reporting.packet import PacketSettings, packet_content
from testimonio.simulation import default_config, generate_world
from testimonio.web.cases.models import Encounter, Project, Record
from testimonio.web.declarations.actions import (
    do_add_declaration,
    do_code_paragraph,
    do_link_declaration,
    do_reveal_paragraphs,
    do_set_exhibit,
    do_set_translation,
)
from testimonio.web.declarations.models import Declaration
from testimonio.web.linking.actions import do_decide_pair
from testimonio.web.linking.models import LinkRun, ReviewPair
from testimonio.web.snapshots.actions import do_write_snapshot
from tests.web.snapshots.world import ImportedWorld

pytestmark = pytest.mark.django_db
TACTIC, OTHER = "TAC.DENY", "TAC.DENY.CAPACITY"


@dataclass
class Coded:
    declarations: list[Declaration]
    paragraph_texts: list[str]
    names: set[str]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, str]]]:
    """Three declaration documents the simulator wrote (the imported world has one only),
    with their exhibit index rows (which name the declarant and the interpreter)."""
    folder = tmp_path_factory.mktemp("declarations")
    generate_world(default_config(people=1200, seed=7, max_declaration_documents=3), folder)
    with (folder / "declarations" / "exhibit_index.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["file"]]
    assert len(rows) == 3
    return [(folder / row["file"], row) for row in rows]


def _coded(
    project: Project, documents: list[tuple[Path, dict[str, str]]], ana: User, beto: User
) -> Coded:
    """Three declarations: numbered 3, 1 and (not numbered); coded by two coders."""
    added, texts, names = [], [], set()
    with_encounters = Encounter.objects.filter(project=project, person__isnull=False)
    persons = [e.person for e in with_encounters.select_related("person").order_by("pk")]
    persons = list(dict.fromkeys(persons))[:3]  # three people with encounters
    for number, ((path, row), person) in enumerate(zip(documents, persons, strict=True)):
        declaration = do_add_declaration(project, path.read_bytes(), f"upload{path.suffix}", None)
        do_link_declaration(declaration, person, None)
        if number < 2:
            do_set_exhibit(declaration, ("3", "1")[number], None, ecf_reference=f"45-{number}")
        added.append(declaration)
        names |= {row["declarant_name"], row["interpreter"]} - {""}
        texts += [p["text"] for p in do_reveal_paragraphs(declaration, None)]
    first = added[0]
    encounter = Encounter.objects.filter(person=first.person).order_by("pk").first()
    paragraphs = list(first.document.paragraphs.order_by("number"))
    for paragraph in paragraphs:
        for coder in (ana, beto):
            do_code_paragraph(paragraph, TACTIC, None, None, coder)
    do_code_paragraph(paragraphs[1], OTHER, encounter, None, ana)
    do_code_paragraph(paragraphs[1], OTHER, encounter, None, beto)
    do_code_paragraph(paragraphs[2], OTHER, None, None, ana)
    do_set_translation(added[1], added[0], None, interpreter="Someone Interpreting")
    names.add("Someone Interpreting")
    return Coded(added, texts, names)


def _review_queue(project: Project) -> None:
    """Three queued pairs on the latest run: one decided same, one different, one pending."""
    run = LinkRun.objects.filter(project=project).order_by("-pk").first()
    records = list(Record.objects.filter(project=project).order_by("pk")[:6])
    pairs = [
        ReviewPair.objects.create(
            link_run=run, record_a=records[i], record_b=records[i + 1], match_probability=0.5
        )  # fmt: skip
        for i in (0, 2, 4)
    ]
    do_decide_pair(pairs[0], "same", None)
    do_decide_pair(pairs[1], "different", None)


@pytest.fixture
def coded(
    world: ImportedWorld,
    documents: list[tuple[Path, dict[str, str]]],
    project: Project,
    attorney: User,
    intake_officer: User,
) -> Coded:
    _review_queue(project)
    return _coded(project, documents, attorney, intake_officer)


def test_declarations_and_their_codings_are_in_the_snapshot(
    coded: Coded, project: Project, tmp_path: Path
) -> None:
    manifest = do_write_snapshot(project, tmp_path / "s.duckdb", None)
    assert manifest["schema_version"] == 5
    snapshot = load_snapshot(tmp_path / "s.duckdb")
    declarations = snapshot.frame("declarations").set_index("declaration_id")
    assert list(declarations["exhibit"]) == ["3", "1", ""]
    assert list(declarations["ecf_reference"]) == ["45-0", "45-1", ""]
    first, second, _ = coded.declarations
    assert list(declarations["person_id"])[:2] == [first.person.pseudonym, second.person.pseudonym]
    assert declarations.loc["D-00000001", "translation_of"] == "D-00000000"
    assert bool(declarations.loc["D-00000001", "interpreter"]) is True
    assert declarations.loc["D-00000000", "paragraphs"] == first.paragraph_count
    assert all(declarations["ports"].str.len() > 0)  # the declarants' encounters' ports
    codings = snapshot.frame("paragraph_codings")
    deny = codings[codings["term_code"] == TACTIC]
    assert len(deny) == first.paragraph_count and set(deny["coders"]) == {2}
    other = codings[codings["term_code"] == OTHER].set_index("paragraph")
    assert other.loc["2", "coders"] == 2 and other.loc["2", "encounter_id"].startswith("E-")
    assert other.loc["3", "coders"] == 1


def test_the_review_queue_and_coder_agreement_are_in_the_snapshot(
    coded: Coded, project: Project, tmp_path: Path
) -> None:
    do_write_snapshot(project, tmp_path / "s.duckdb", None)
    snapshot = load_snapshot(tmp_path / "s.duckdb")
    review = dict(snapshot.sql("SELECT status, pairs FROM linkage_review").fetchall())
    assert review == {"pending": 1, "same": 1, "different": 1, "unsure": 0}
    agreement = snapshot.frame("coder_agreement").set_index("term_code")
    assert agreement.loc[OTHER, "paragraphs"] == coded.declarations[0].paragraph_count
    assert 0 < agreement.loc[OTHER, "alpha"] < 1 and agreement.loc[OTHER, "flagged"]
    assert agreement.loc[TACTIC, "alpha"] != agreement.loc[TACTIC, "alpha"]  # NULL: undefined
    assert agreement.loc[OTHER, "minimum_alpha"] == pytest.approx(0.667)
    # two coders: Cohen's kappa too. OTHER: both marked one paragraph, ana one more, of n.
    kappa = snapshot.frame("coder_kappa").set_index("term_code")
    n = coded.declarations[0].paragraph_count
    observed = (n - 1) / n
    chance = (2 / n) * (1 / n) + ((n - 2) / n) * ((n - 1) / n)
    assert kappa.loc[OTHER, "paragraphs"] == n
    assert kappa.loc[OTHER, "kappa"] == pytest.approx((observed - chance) / (1 - chance))
    assert kappa.loc[TACTIC, "kappa"] != kappa.loc[TACTIC, "kappa"]  # NULL: one answer only


def test_no_paragraph_text_or_name_enters_the_snapshot(
    coded: Coded, project: Project, tmp_path: Path
) -> None:
    assert len(coded.paragraph_texts) > 10 and len(coded.names) >= 4
    # a paragraph's distinctive words: its longest run of six words
    phrases = {" ".join(text.split()[2:8]) for text in coded.paragraph_texts
               if len(text.split()) >= 8}  # fmt: skip
    for storage in ("s.duckdb", "parquet"):
        manifest = do_write_snapshot(project, tmp_path / storage, None)
        snapshot = load_snapshot(tmp_path / storage)
        text = json.dumps(manifest) + "".join(
            snapshot.frame(name).to_csv(index=False) for name in snapshot.tables
        )
        assert "declarations" in snapshot.tables
        assert [phrase for phrase in phrases if phrase in text] == []
        assert [name for name in coded.names if name in text] == []


def test_the_packet_cites_the_numbered_exhibits_beside_each_finding(
    coded: Coded, project: Project, tmp_path: Path
) -> None:
    do_write_snapshot(project, tmp_path / "s.duckdb", None)
    content = packet_content(load_snapshot(tmp_path / "s.duckdb"), PacketSettings(by=()))
    tables = {table.id: table for table in content.tables()}
    index = tables["exhibit_index"]
    assert [row[0] for row in index.rows] == ["1", "3"]  # in filing order; unnumbered left out
    first = coded.declarations[0]
    assert index.rows[1][1] == first.person.pseudonym
    assert f"¶¶ 1-{first.paragraph_count}" in index.rows[1][6]  # TAC.DENY on every one
    assert "¶¶ 2-3" in index.rows[1][6]  # the other term, by either coder
    # the other term is a tactic with a finding (coded on an encounter): cited beside it
    cited = " ".join(row[3] for row in tables["findings_cited"].rows)
    assert f"Ex. 3 (Decl. of {first.person.pseudonym}), ECF No. 45-0, ¶¶ 2-3" in cited
    methods = next(section for section in content.sections if section.id == "methods")
    assert "1 are not yet numbered as exhibits" in " ".join(methods.paragraphs)
    review = dict(tables["methods_review_queue"].rows)
    assert review["Pairs sent to review"] == "3"
    assert review["Pending: not decided yet (left apart)"] == "1"
    flags = {row[0]: row[6] for row in tables["methods_coder_agreement"].rows}
    assert set(flags.values()) == {"below 0.667"}  # one low, one undefined
