"""Columns of arbitrary tables are recognised in English, Spanish and French, or mapped."""

import pandas as pd
import pytest

from testimonio.errors import InputError, LinkageError
from testimonio.linkage.columns import parse_column_mapping, read_table, recognise_columns


def test_it_recognises_spanish_headers():
    headers = ["Folio", "Nombre(s)", "Apellido Paterno", "Apellido materno", "Fecha de nacimiento",
               "Sexo", "Nacionalidad", "Teléfono"]  # fmt: skip
    assert recognise_columns(headers, file="a.csv") == {
        "record_id": "Folio",
        "given_name": "Nombre(s)",
        "paternal_surname": "Apellido Paterno",
        "maternal_surname": "Apellido materno",
        "birth_date": "Fecha de nacimiento",
        "sex": "Sexo",
        "nationality": "Nacionalidad",
        "phone": "Teléfono",
    }


def test_it_recognises_english_headers():
    found = recognise_columns(["First Name", "Last name", "DOB", "Gender"], file="b.csv")
    assert found == {
        "given_name": "First Name",
        "surname": "Last name",
        "birth_date": "DOB",
        "sex": "Gender",
    }


def test_an_explicit_mapping_wins_over_recognition():
    found = recognise_columns(
        ["N1", "Nombre", "AP"], file="c.csv", explicit={"given_name": "N1", "surname": "AP"}
    )
    assert found["given_name"] == "N1"
    assert found["surname"] == "AP"


def test_an_unknown_field_in_the_mapping_is_an_input_error():
    with pytest.raises(InputError, match="unknown field 'nickname'"):
        recognise_columns(["Nombre"], file="c.csv", explicit={"nickname": "Nombre"})


def test_a_table_without_a_name_column_is_refused_naming_the_file():
    with pytest.raises(LinkageError, match=r"^visits\.csv: no name column"):
        recognise_columns(["Fecha", "Puerto"], file="visits.csv")


def test_the_mapping_option_is_parsed_as_ours_equals_theirs():
    assert parse_column_mapping("given_name=N1, surname=AP") == {
        "given_name": "N1",
        "surname": "AP",
    }


def test_a_malformed_mapping_is_an_input_error():
    with pytest.raises(InputError, match="ours=theirs"):
        parse_column_mapping("given_name")


def test_it_reads_semicolon_csv_and_xlsx_as_text(tmp_path):
    csv_path = tmp_path / "lista.csv"
    csv_path.write_text("folio;Nombre\n007;Ana\n", encoding="utf-8")
    assert read_table(csv_path).to_dict("records") == [{"folio": "007", "Nombre": "Ana"}]
    xlsx_path = tmp_path / "lista.xlsx"
    pd.DataFrame({"folio": ["007"], "Nombre": ["Ana"]}).to_excel(xlsx_path, index=False)
    assert read_table(xlsx_path)["folio"].tolist() == ["007"]


def test_a_missing_file_is_an_input_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="nowhere.csv: file not found"):
        read_table(tmp_path / "nowhere.csv")


def test_the_column_report_counts_readable_values_and_names_weak_columns():
    from testimonio.linkage.columns import report_columns

    frame = pd.DataFrame(
        {
            "Nombre": ["Ana", "Luis", "", "Rosa"],
            "Edad": ["34", "treinta", "", "x"],
            "DOB": ["19900101", "19851231", "", "20000229"],
        }
    )
    report = report_columns(
        frame, {"given_name": "Nombre", "age": "Edad", "birth_date": "DOB"}, source="f"
    )
    counts = {item.field: (item.written, item.readable) for item in report.fields}
    assert counts == {"given_name": (3, 3), "age": (3, 1), "birth_date": (3, 3)}
    assert report.supported_rows == 3
    (problem,) = report.problems()
    assert problem.startswith("f, column 'Edad' (age): only 1 of 3 written values (33%)")
    assert not any("Ana" in line or "1990" in line for line in report.lines())
