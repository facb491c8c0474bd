"""Vocabulary bundles are read completely or not at all, with errors naming file, row, column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from testimonio.errors import VocabularyError
from testimonio.vocab.bundle import bundled_path, read_bundle
from testimonio.vocab.reference import read_table

HEADER = "code,parent,label_en,label_es,definition,source\n"


def write_vocabulary(folder: Path, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "vocabulary.csv").write_text(HEADER + body, encoding="utf-8")
    return folder


def test_the_shipped_bundle_has_every_scheme_and_its_reference_tables() -> None:
    bundle = read_bundle(bundled_path())
    assert {term.scheme for term in bundle.terms} >= {"TAC", "FEAR", "OUT", "VUL", "HARM"}
    assert bundle.term("TAC.THREAT.FAMILY_SEP") is not None
    assert {"ports", "languages", "nationalities", "sources"} <= set(bundle.tables)
    assert len(bundle.checksum) == 64


def test_every_source_cited_by_a_term_is_in_the_sources_table() -> None:
    bundle = read_bundle(bundled_path())
    keys = {row["key"] for row in bundle.tables["sources"]}
    # A citation may add a pinpoint in parentheses: "WOLA-BO ('Lying ...')".
    cited = {
        part.split(" (")[0].strip()
        for term in bundle.terms
        for part in term.source.split(";")
        if part.strip() and not part.strip().startswith("HMT:")
    }
    assert cited <= keys, sorted(cited - keys)


def test_reference_tables_are_readable_without_django() -> None:
    ports = read_table("ports")
    assert any(row["code"] == "2504-SYS" for row in ports)


def test_a_team_can_define_its_own_vocabulary(tmp_path: Path) -> None:
    folder = write_vocabulary(
        tmp_path / "evictions",
        "EVI,,Eviction tactics,Tácticas de desalojo,,\n"
        "EVI.THREAT,EVI,Threat,Amenaza,Threatened eviction.,\n",
    )
    (folder / "bundle.yaml").write_text("name: evictions\ntitle: Evictions\n", encoding="utf-8")
    bundle = read_bundle(folder)
    assert bundle.name == "evictions" and [t.code for t in bundle.terms] == ["EVI", "EVI.THREAT"]


def test_a_lower_case_code_is_rejected_with_its_row_and_column(tmp_path: Path) -> None:
    folder = write_vocabulary(tmp_path / "v", "EVI,,A,B,,\nevi.threat,EVI,A,B,,\n")
    with pytest.raises(VocabularyError, match=r"row 3, column 'code'"):
        read_bundle(folder)


def test_a_duplicate_code_is_rejected(tmp_path: Path) -> None:
    folder = write_vocabulary(tmp_path / "v", "EVI,,A,B,,\nEVI,,A,B,,\n")
    with pytest.raises(VocabularyError, match="appears twice"):
        read_bundle(folder)


def test_a_parent_that_does_not_match_the_code_is_rejected(tmp_path: Path) -> None:
    folder = write_vocabulary(tmp_path / "v", "EVI,,A,B,,\nOTHER,,A,B,,\nEVI.X,OTHER,A,B,,\n")
    with pytest.raises(VocabularyError, match="parent of EVI.X must be EVI"):
        read_bundle(folder)


def test_a_missing_label_is_rejected(tmp_path: Path) -> None:
    folder = write_vocabulary(tmp_path / "v", "EVI,,A,,,\n")
    with pytest.raises(VocabularyError, match="column 'label_es'"):
        read_bundle(folder)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "vocabulary.csv").write_text("code,parent\nEVI,\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="missing column"):
        read_bundle(folder)


def test_a_folder_without_a_vocabulary_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="needs a vocabulary.csv"):
        read_bundle(tmp_path)


def test_the_checksum_changes_with_the_content(tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(bundled_path(), folder)
    before = read_bundle(folder).checksum
    with (folder / "vocabulary.csv").open("a", encoding="utf-8") as handle:
        handle.write("TAC.X,TAC,X,X,,\n")
    assert read_bundle(folder).checksum != before


def test_every_shipped_definition_has_its_spanish_translation() -> None:
    terms = read_bundle(bundled_path()).terms
    untranslated = [t.code for t in terms if bool(t.definition) != bool(t.definition_es)]
    assert untranslated == []
    assert (
        read_bundle(bundled_path())
        .term("TAC.THREAT.FAMILY_SEP")
        .definition_es.startswith("Se le dijo que le quitarían a sus hijos")
    )


def test_a_bundle_without_spanish_definitions_still_reads(tmp_path: Path) -> None:
    folder = write_vocabulary(tmp_path / "v", "EVI,,A,B,Threatened eviction.,\n")
    assert read_bundle(folder).terms[0].definition_es == ""


def test_a_spanish_definition_without_the_english_one_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "vocabulary.csv").write_text(
        "code,parent,label_en,label_es,definition,definition_es,source\n"
        "EVI,,A,B,,Amenaza de desalojo.,\n",
        encoding="utf-8",
    )
    with pytest.raises(VocabularyError, match=r"row 2, column 'definition'"):
        read_bundle(folder)
