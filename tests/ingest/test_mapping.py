"""Mapping profiles are proposed from column names and values, and round-trip through YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.errors import InputError
from testimonio.ingest.mapping import load_mapping, propose_mapping, save_mapping
from testimonio.ingest.readers import read_bytes, read_path
from testimonio.vocab.bundle import Bundle

PARTNER = (
    "Nombre completo;Sexo;Garita;Fecha del intento;¿Qué pasó?;Nacionalidad\n"
    "Ana Pérez;M;Tijuana / San Ysidro;25/06/2018;amenazas;México\n"
    "Juan López;H;San Ysidro;26/06/2018;amenazas, insultos;Honduras\n"
)


def partner_profile(vocabulary: Bundle):  # type: ignore[no-untyped-def]
    return propose_mapping(read_bytes(PARTNER.encode(), "registro.csv").tables[0], vocabulary)


def test_spanish_columns_are_recognised(vocabulary: Bundle) -> None:
    fields = partner_profile(vocabulary).fields
    assert {name: mapping.column for name, mapping in fields.items()} == {
        "full_name": "Nombre completo",
        "sex": "Sexo",
        "port": "Garita",
        "encounter_date": "Fecha del intento",
        "tactics": "¿Qué pasó?",
        "nationality": "Nacionalidad",
    }


def test_spanish_words_are_mapped_to_vocabulary_codes(vocabulary: Bundle) -> None:
    fields = partner_profile(vocabulary).fields
    assert fields["tactics"].values["amenazas"] == "TAC.THREAT"
    assert fields["port"].values["Tijuana / San Ysidro"] == "2504-SYS"
    assert fields["nationality"].values["México"] == "MX"


def test_h_and_m_are_read_as_spanish_hombre_and_mujer(vocabulary: Bundle) -> None:
    assert partner_profile(vocabulary).fields["sex"].values == {"H": "male", "M": "female"}


def test_a_day_first_date_order_is_proposed_for_a_spanish_source(vocabulary: Bundle) -> None:
    assert partner_profile(vocabulary).fields["encounter_date"].date_order == "DMY"


def test_a_us_date_order_is_proposed_when_the_second_part_exceeds_twelve(
    vocabulary: Bundle,
) -> None:
    table = read_bytes(b"intake_date\n06/25/2018\n", "log.csv").tables[0]
    assert propose_mapping(table, vocabulary).fields["interview_date"].date_order == "MDY"


def test_unmatched_values_are_listed_for_review_by_column_and_row(vocabulary: Bundle) -> None:
    table = read_bytes("¿Qué pasó?;Garita\nzzz qqq;San Ysidro\n".encode(), "r.csv").tables[0]
    assert (
        "tactics: 1 value of column '¿Qué pasó?' matched no code (rows 2); add it under values"
        in propose_mapping(table, vocabulary).review
    )


def test_no_review_note_quotes_a_cell(vocabulary: Bundle) -> None:
    text = "Garita;Sexo;¿Qué pasó?\nGarita Vieja;X;zzz qqq\nTijuana Airport;H;amenazas\n"
    table = read_bytes(text.encode(), "r.csv").tables[0]
    review = "\n".join(propose_mapping(table, vocabulary).review)
    cells = ("Garita Vieja", "Tijuana Airport", "zzz qqq")
    assert review and not any(cell in review for cell in cells)


def test_identity_values_never_enter_a_profile(vocabulary: Bundle, tmp_path: Path) -> None:
    save_mapping(partner_profile(vocabulary), tmp_path / "p.yaml")
    text = (tmp_path / "p.yaml").read_text(encoding="utf-8")
    assert "Ana Pérez" not in text and "Juan López" not in text


def test_a_profile_round_trips_through_yaml(vocabulary: Bundle, tmp_path: Path) -> None:
    profile = partner_profile(vocabulary)
    save_mapping(profile, tmp_path / "p.yaml")
    assert load_mapping(tmp_path / "p.yaml") == profile


def test_a_profile_with_an_unknown_field_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "source: x\nfields:\n  shoe_size: {column: talla}\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"^p\.yaml: unknown field 'shoe_size'"):
        load_mapping(tmp_path / "p.yaml")


def test_kobo_choice_columns_are_not_proposed_as_fields(world: Path, vocabulary: Bundle) -> None:
    table = read_path(world / "shelter_survey" / "kobo_export.csv").tables[0]
    profile = propose_mapping(table, vocabulary)
    assert profile.fields["tactics"].column == "intento/tacticas"
    assert profile.fields["tactics"].separator == " "


def test_a_profile_with_yaml_aliases_is_refused_before_it_expands(tmp_path: Path) -> None:
    # Nine levels of nine aliases would be 387 million strings: refused as written, unparsed.
    levels = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]'] + [
        f"a{level}: &a{level} [{','.join([f'*a{level - 1}'] * 9)}]" for level in range(1, 9)
    ]
    (tmp_path / "p.yaml").write_text("\n".join([*levels, "fields: {}"]), encoding="utf-8")
    with pytest.raises(InputError, match=r"^p\.yaml: a mapping profile may not use YAML aliases"):
        load_mapping(tmp_path / "p.yaml")


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("fields:\n  port: {column: Garita, values: 7}\n", "'values' must map each wording"),
        ("fields:\n  port: {column: {a: 1}}\n", "'column' must be a column's name"),
        ("fields:\n  tactics: {column: a, separator: [1]}\n", "'separator' must be text"),
        ("fields: {}\nrequired: 5\n", "'required' must be a list of names"),
    ],
)
def test_a_malformed_profile_is_one_clear_error_naming_the_file(
    tmp_path: Path, section: str, message: str
) -> None:
    (tmp_path / "p.yaml").write_text(f"source: x\n{section}", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^p\.yaml: .*{message}"):
        load_mapping(tmp_path / "p.yaml")


def test_a_profile_mapping_no_column_is_refused_for_import(vocabulary: Bundle) -> None:
    table = read_bytes(b"Shoe size;Colour\n42;red\n", "other.csv").tables[0]
    profile = propose_mapping(table, vocabulary)
    assert profile.fields == {}
    with pytest.raises(InputError, match="^other.csv: no column of the file was recognised"):
        profile.require_some_field("other.csv")
    partner_profile(vocabulary).require_some_field("registro.csv")  # one that maps: no error
