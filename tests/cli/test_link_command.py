"""`testimonio link` writes who is the same person, and refuses bad input in one line."""

import csv

import pandas as pd
import pytest
from click.testing import CliRunner

from testimonio.cli.main import cli

PEOPLE = [
    ("Jesús", "García López", "12/03/1987", "M"),
    ("Chuy", "Garcia", "1987-03-12", "Hombre"),
    ("María Guadalupe", "Hernández Ruiz", "1990", "F"),
    ("Lupe", "Hernandez Ruiz", "04/07/1990", "mujer"),
    ("Pedro", "Ramírez Soto", "01/01/1975", "M"),
    ("Rosa", "Ortega Luna", "22/11/2001", "F"),
]


@pytest.fixture
def lists(tmp_path):
    """Two partners' lists of the same few synthetic people, in Spanish and English layouts."""
    spanish = pd.DataFrame(
        [(f"A{n}", g, s, d, x) for n, (g, s, d, x) in enumerate(PEOPLE[::2])],
        columns=["folio", "Nombre(s)", "Apellidos", "Fecha de nacimiento", "Sexo"],
    )
    english = pd.DataFrame(
        [(f"B{n}", g, s, d, x) for n, (g, s, d, x) in enumerate(PEOPLE[1::2])],
        columns=["id", "First name", "Last name", "DOB", "Gender"],
    )
    spanish.to_csv(tmp_path / "albergue.csv", index=False)
    english.to_excel(tmp_path / "clinic.xlsx", index=False)
    return tmp_path


def _invoke(*args):
    return CliRunner().invoke(cli, ["link", *map(str, args)])


def _rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_it_writes_source_record_id_and_cluster_for_every_record(lists):
    out = lists / "clusters.csv"
    result = _invoke(lists / "albergue.csv", lists / "clinic.xlsx", "--out", out)
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert list(rows[0]) == ["source", "record_id", "cluster_id"]
    assert {(row["source"], row["record_id"]) for row in rows} == {
        ("albergue", "A0"), ("albergue", "A1"), ("albergue", "A2"),
        ("clinic", "B0"), ("clinic", "B1"), ("clinic", "B2"),
    }  # fmt: skip


def test_the_pairs_file_scores_pairs_without_any_name_in_it(lists):
    pairs = lists / "pairs.csv"
    result = _invoke(lists / "albergue.csv", lists / "clinic.xlsx", "--out", lists / "c.csv",
                     "--pairs", pairs, "--threshold", "0.5")  # fmt: skip
    assert result.exit_code == 0, result.output
    text = pairs.read_text(encoding="utf-8").lower()
    assert "match_probability" in text.splitlines()[0]
    assert not any(name in text for name in ("garcia", "hernandez", "jesus", "chuy"))


def test_a_saved_model_can_be_reused(lists):
    model = lists / "model.json"
    first = _invoke(lists / "albergue.csv", "--out", lists / "one.csv", "--save-model", model)
    assert first.exit_code == 0, first.output
    again = _invoke(lists / "albergue.csv", "--out", lists / "two.csv", "--model", model)
    assert again.exit_code == 0, again.output
    assert _rows(lists / "one.csv") == _rows(lists / "two.csv")


def test_an_explicit_mapping_names_columns_it_does_not_recognise(tmp_path):
    pd.DataFrame({"n1": ["Ana", "Ana"], "a1": ["Ruiz", "Ruiz"]}).to_csv(
        tmp_path / "x.csv", index=False
    )
    out = tmp_path / "out.csv"
    result = _invoke(tmp_path / "x.csv", "--columns", "given_name=n1,surname=a1", "--out", out)
    assert result.exit_code == 0, result.output
    assert len(_rows(out)) == 2


def test_a_file_without_name_columns_exits_2_with_one_line_naming_it(tmp_path):
    pd.DataFrame({"puerto": ["Tijuana"]}).to_csv(tmp_path / "ports.csv", index=False)
    result = _invoke(tmp_path / "ports.csv", "--out", tmp_path / "out.csv")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "ports: no name column" in result.output


def test_a_missing_id_column_exits_2_naming_file_and_column(lists):
    result = _invoke(lists / "albergue.csv", "--id", "expediente", "--out", lists / "o.csv")
    assert result.exit_code == 2
    assert "albergue, column 'expediente'" in result.output


def test_a_repeated_id_names_its_row(tmp_path):
    pd.DataFrame({"id": ["1", "1"], "Nombre": ["A", "B"]}).to_csv(tmp_path / "d.csv", index=False)
    result = _invoke(tmp_path / "d.csv", "--id", "id", "--out", tmp_path / "o.csv")
    assert result.exit_code == 2
    assert "row 3" in result.output


def test_help_explains_columns_and_output():
    result = _invoke("--help")
    assert result.exit_code == 0
    for words in ("source,record_id,cluster_id", "fecha de", "--columns", "--pairs", "--threshold"):
        assert words in result.output


def test_project_mode_takes_no_files_and_file_mode_needs_files_and_out(lists):
    mixed = _invoke("--project", "x", lists / "albergue.csv")
    assert mixed.exit_code == 2 and "give no FILES" in mixed.output
    nothing = _invoke()
    assert nothing.exit_code == 2 and "--project SLUG" in nothing.output
    no_out = _invoke(lists / "albergue.csv")
    assert no_out.exit_code == 2 and "--out" in no_out.output
