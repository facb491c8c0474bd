"""Tables of any layout become standard records that compare like with like."""

import pandas as pd

from testimonio.linkage.columns import recognise_columns
from testimonio.linkage.records import prepare_records


def _prepare(frame):
    return prepare_records(frame, recognise_columns(frame.columns, file="t.csv"), "t")


def test_a_lone_maternal_surname_is_compared_as_the_first_surname():
    frame = pd.DataFrame(
        {"Nombre": ["Ana"], "Apellido paterno": [""], "Apellido materno": ["Ruiz"]}
    )
    row = _prepare(frame).iloc[0]
    assert row["surname1"] == "ruiz"
    assert pd.isna(row["surname2"])


def test_nicknames_get_the_phonetic_key_of_the_name_they_stand_for():
    frame = pd.DataFrame({"Nombre": ["Chuy", "Jesús"], "Apellidos": ["Ruiz", "Ruiz"]})
    records = _prepare(frame)
    assert records["given_key"].nunique() == 1
    assert "jesus" in records.loc[0, "given_forms"]


def test_nationality_demonyms_and_codes_become_one_country():
    frame = pd.DataFrame({"Nombre": ["A", "B", "C"], "Nacionalidad": ["Mexicana", "MEX", "México"]})
    assert _prepare(frame)["nationality"].tolist() == ["mexico", "mexico", "mexico"]


def test_sex_words_become_one_code_and_unknowns_become_null():
    frame = pd.DataFrame({"Nombre": ["A", "B", "C"], "Sexo": ["Mujer", "H", "otro"]})
    sexes = _prepare(frame)["sex"].tolist()
    assert sexes[:2] == ["f", "m"]
    assert sexes[2] is None


def test_records_without_an_id_column_are_numbered_from_the_first_data_row():
    frame = pd.DataFrame({"Nombre": ["A", "B"]})
    assert _prepare(frame)["record_id"].tolist() == ["1", "2"]


def test_partial_birth_dates_keep_only_the_year():
    frame = pd.DataFrame({"Nombre": ["A"], "Fecha de nacimiento": ["1987"]})
    row = _prepare(frame).iloc[0]
    assert row["birth_year"] == 1987
    assert pd.isna(row["birth_month"])
    assert row["birth_date"] is None


def test_h_and_m_mean_hombre_and_mujer_in_a_column_that_uses_h():
    frame = pd.DataFrame(
        {"Nombre": ["Ana", "Luis"], "Apellidos": ["Ruiz", "Ruiz"], "Sexo": ["M", "H"]}
    )
    assert _prepare(frame)["sex"].tolist() == ["f", "m"]


def test_an_age_on_the_intake_day_gives_a_span_of_birth_days():
    frame = pd.DataFrame(
        {"Nombre": ["Ana"], "Apellidos": ["Ruiz"], "Edad": ["30"], "intake_date": ["2019-05-01"]}
    )
    row = _prepare(frame).iloc[0]
    assert row["birth_last"] - row["birth_first"] == 364


def test_the_port_and_day_of_the_encounter_are_kept_for_comparison():
    frame = pd.DataFrame(
        {"Nombre": ["Ana"], "Apellidos": ["Ruiz"], "Garita": ["San Ysidro"],
         "Fecha del intento": ["02/01/1970"]}
    )  # fmt: skip
    row = _prepare(frame).iloc[0]
    assert row["port"] == "san ysidro"
    assert row["encounter_day"] == 1  # 2 January 1970, day first


def test_the_second_given_name_is_kept_apart_to_tell_siblings_apart():
    frame = pd.DataFrame({"Nombre": ["José Luis", "José"], "Apellidos": ["Ruiz", "Ruiz"]})
    assert _prepare(frame)["given_second"].tolist()[0] == "luis"
    assert pd.isna(_prepare(frame)["given_second"].tolist()[1])
