"""Validation turns mapped rows into records and every bad cell into a row error."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.ingest.mapping import FieldMapping, MappingProfile, propose_mapping
from testimonio.ingest.readers import read_bytes, read_path
from testimonio.ingest.validation import validate_table
from testimonio.partial_dates import PartialDate
from testimonio.vocab.bundle import Bundle
from tests.ingest.reviewing import map_flagged_values

SIMULATED_SOURCES = [
    "legal_aid/intake_log.csv",
    "shelter_survey/kobo_export.csv",
    "shelter_survey/kobo_export.xlsx",
    "partner_spreadsheet/registro_intentos.xlsx",
    "declarations/exhibit_index.csv",
]


def profile() -> MappingProfile:
    return MappingProfile(
        source="registro",
        required=["full_name"],
        fields={
            "full_name": FieldMapping("Nombre"),
            "birth_date": FieldMapping("Nacimiento", date_order="DMY"),
            "port": FieldMapping("Garita", values={"Tijuana / San Ysidro": "2504-SYS"}),
            "tactics": FieldMapping("Tácticas", separator=",", values={"amenazas": "TAC.THREAT"}),
            "age": FieldMapping("Edad"),
        },
    )


def validate(text: str, vocabulary: Bundle):  # type: ignore[no-untyped-def]
    table = read_bytes(
        ("Nombre;Nacimiento;Garita;Tácticas;Edad\n" + text).encode(), "registro.csv"
    ).tables[0]
    return validate_table(table, profile(), vocabulary)


def test_a_good_row_becomes_identity_and_attributes(vocabulary: Bundle) -> None:
    rows, errors = validate(
        "Ana Pérez;25/06/1990;Tijuana / San Ysidro;Amenazas, TAC.INTIMIDATION;34\n", vocabulary
    )
    assert errors == []
    assert rows[0].identity.full_name == "Ana Pérez"
    assert rows[0].identity.birth_date == PartialDate(1990, 6, 25)
    assert rows[0].attributes.port == "2504-SYS"
    assert rows[0].attributes.tactics == ("TAC.THREAT", "TAC.INTIMIDATION")
    assert rows[0].attributes.age == 34


def test_each_row_carries_its_provenance(vocabulary: Bundle) -> None:
    rows, _ = validate("Ana;;2504-SYS;;\nLuis;;2506-OTM;;\n", vocabulary)
    assert [(row.provenance.file, row.provenance.row) for row in rows] == [
        ("registro.csv", 2),
        ("registro.csv", 3),
    ]
    assert rows[0].provenance.digest != rows[1].provenance.digest


@pytest.mark.parametrize(
    ("cells", "column", "expected"),
    [
        ("Ana;;Narnia;;", "Garita", "a known port of entry"),
        ("Ana;31/02/1990;;;", "Nacimiento", "that day does not exist in that month"),
        ("Ana;;;sobornos;", "Tácticas", "a term of the vocabulary"),
        (";;2504-SYS;;", "Nombre", "a required field is empty"),
        ("Ana;;;;ciento", "Edad", "expected a whole number"),
    ],
)
def test_a_bad_cell_is_reported_by_row_column_and_expectation(
    vocabulary: Bundle, cells: str, column: str, expected: str
) -> None:
    rows, errors = validate(cells + "\n", vocabulary)
    assert rows == []
    assert [(error.row, error.column) for error in errors] == [(2, column)]
    assert expected in errors[0].problem


def test_an_error_never_contains_the_identity_value_found(vocabulary: Bundle) -> None:
    _, errors = validate("Ana;31/02/1990;;;\n", vocabulary)
    assert all("31/02/1990" not in str(value) for error in errors for value in vars(error).values())


def test_a_column_missing_from_the_file_is_reported_once(vocabulary: Bundle) -> None:
    table = read_bytes(b"Nombre\nAna\n", "r.csv").tables[0]
    _, errors = validate_table(table, profile(), vocabulary)
    assert {error.column for error in errors} == {"Nacimiento", "Garita", "Tácticas", "Edad"}


@pytest.mark.parametrize("path", SIMULATED_SOURCES)
def test_simulated_sources_fail_only_on_values_flagged_for_review(
    world: Path, vocabulary: Bundle, path: str
) -> None:
    for table in read_path(world / path).tables:
        proposed = propose_mapping(table, vocabulary)
        _, errors = validate_table(table, proposed, vocabulary)
        unmatched_fields = {
            note.split(":")[0].removeprefix("repeat.")
            for note in proposed.review
            if "matched no" in note or "not mapped" in note
        }
        # a main row whose repeat rows failed is named too (field empty), beside their errors
        assert {error.field for error in errors if error.field} <= unmatched_fields | {
            "full_name"
        }, table.sheet


@pytest.mark.parametrize("path", SIMULATED_SOURCES)
def test_simulated_sources_validate_once_a_person_maps_the_flagged_values(
    world: Path, vocabulary: Bundle, path: str
) -> None:
    for table in read_path(world / path).tables:
        proposed = propose_mapping(table, vocabulary)
        map_flagged_values(
            table,
            proposed,
            lambda field: "TAC.OTHER" if field == "tactics" else "OUT.TURNED_BACK",
        )
        rows, errors = validate_table(table, proposed, vocabulary)
        assert len(errors) <= len(table.rows) // 20, (table.sheet, errors[:3])
        assert rows


def test_every_reference_fixture_validates_with_its_proposed_mapping(
    fixtures_folder: Path, vocabulary: Bundle
) -> None:
    for path in sorted((fixtures_folder / "odk").glob("central_*.csv")):
        table = read_path(path).tables[0]
        rows, errors = validate_table(table, propose_mapping(table, vocabulary), vocabulary)
        assert errors == [] and len(rows) == len(table.rows), path.name


def dated(text: str, vocabulary: Bundle):  # type: ignore[no-untyped-def]
    table = read_bytes(("Nombre;Nacimiento;Encuentro;Registro\n" + text).encode(), "r.csv")
    fields = {
        "full_name": FieldMapping("Nombre"),
        "birth_date": FieldMapping("Nacimiento", date_order="YMD"),
        "encounter_date": FieldMapping("Encuentro", date_order="YMD"),
        "record_date": FieldMapping("Registro", date_order="YMD"),
    }
    return validate_table(table.tables[0], MappingProfile("r", fields), vocabulary)


def test_a_birth_after_an_encounter_is_an_error_on_the_birth_date(vocabulary: Bundle) -> None:
    _, errors = dated("Ana;2020-05-01;2019-03-09;2019-03-10\n", vocabulary)
    assert [(e.row, e.column) for e in errors] == [(2, "Nacimiento"), (2, "Nacimiento")]
    assert "after the encounter date" in errors[0].problem and "2020" not in errors[0].problem


def test_partial_dates_are_flagged_only_when_the_contradiction_is_certain(
    vocabulary: Bundle,
) -> None:
    rows, errors = dated("Ana;2019;2019-03;2019-03-01\nLuis;2019-05;2019-04;2019\n", vocabulary)
    assert len(rows) == 1 and [(e.row, e.field) for e in errors] == [(3, "birth_date")]


@pytest.mark.parametrize("path", SIMULATED_SOURCES)
def test_a_check_that_only_counts_rows_agrees_with_one_that_keeps_them(
    world: Path, vocabulary: Bundle, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web's validation page counts the valid rows a chunk at a time without holding them
    (issue 13, finding 7): the same count and the same problems as validating the whole."""
    from testimonio.ingest import check_table

    monkeypatch.setattr("testimonio.ingest.pipeline.CHUNK_ROWS", 7)  # many chunks
    source_file = read_path(world / path)
    kept = check_table(source_file, vocabulary, source_name="s")
    counted = check_table(source_file, vocabulary, source_name="s", keep_rows=False)
    assert counted.rows == [] and counted.valid_rows == len(kept.rows) == kept.valid_rows
    assert counted.errors == kept.errors
