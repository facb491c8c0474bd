"""Repeat groups (Kobo repeat sheets, ODK repeat files): each repeat row is one encounter."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from testimonio.errors import InputError
from testimonio.ingest.mapping import (
    FieldMapping,
    MappingProfile,
    RepeatMapping,
    load_mapping,
    propose_mapping,
    save_mapping,
)
from testimonio.ingest.readers import read_bytes, read_path
from testimonio.ingest.tables import Table
from testimonio.ingest.validation import ValidatedRow, validate_table
from testimonio.vocab.bundle import Bundle
from tests.ingest.reviewing import map_flagged_values


def reviewed_kobo_profile(table: Table, vocabulary: Bundle) -> MappingProfile:
    """The proposed profile with the values it flagged mapped, as a reviewer would."""
    profile = propose_mapping(table, vocabulary, source="shelter")
    assert profile.repeat is not None
    map_flagged_values(
        table,
        profile,
        lambda field: {"tactics": "TAC.OTHER", "sex": "other"}.get(field, "OUT.TURNED_BACK"),
    )
    return profile


def truth_turn_backs(world: Path) -> dict[int, int]:
    """Row of the shelter's export -> how many times its person was turned back."""
    truth = world / "truth"
    with (truth / "people.csv").open(encoding="utf-8") as handle:
        turn_backs = {row["person_id"]: int(row["turn_backs"]) for row in csv.DictReader(handle)}
    with (truth / "records.csv").open(encoding="utf-8") as handle:
        return {
            int(row["location"]): turn_backs[row["person_id"]]
            for row in csv.DictReader(handle)
            if row["source"] == "shelter_survey"
        }


@pytest.fixture(scope="module")
def kobo(world: Path, vocabulary: Bundle) -> tuple[Table, list[ValidatedRow]]:
    table = read_path(world / "shelter_survey" / "kobo_export.xlsx").table()
    rows, errors = validate_table(table, reviewed_kobo_profile(table, vocabulary), vocabulary)
    assert errors == []
    return table, rows


def test_the_kobo_repeat_sheet_is_proposed_as_the_encounters(
    world: Path, vocabulary: Bundle
) -> None:
    table = read_path(world / "shelter_survey" / "kobo_export.xlsx").table()
    profile = propose_mapping(table, vocabulary)
    assert profile.repeat is not None and profile.repeat.sheet == "intentos"
    assert profile.repeat.fields["encounter_date"].column == "intentos/fecha"
    assert profile.repeat.fields["tactics"].column == "intentos/tacticas"
    assert profile.repeat.number_in_order
    assert "port" not in profile.fields and "tactics" not in profile.fields


def test_each_person_has_one_encounter_per_turn_back_the_truth_records(
    world: Path, kobo: tuple[Table, list[ValidatedRow]]
) -> None:
    table, rows = kobo
    truth = truth_turn_backs(world)
    assert len(rows) == len(table.rows)
    assert {row.provenance.row: len(row.encounter_rows()) for row in rows} == truth
    assert sum(truth.values()) == len(table.repeats["intentos"].rows)


def test_repeat_encounters_are_numbered_in_order_and_say_where_they_came_from(
    kobo: tuple[Table, list[ValidatedRow]],
) -> None:
    _, rows = kobo
    told = [row.encounter_rows() for row in rows if len(row.encounter_rows()) > 1][0]
    assert [item.attributes.attempt_number for item in told] == list(range(1, len(told) + 1))
    assert {item.sheet for item in told} == {"intentos"}
    assert all(item.attributes.encounter_date and item.attributes.port for item in told)
    numbers = [item.row for row in rows for item in row.encounter_rows()]
    assert sorted(numbers) == sorted(set(numbers))  # every repeat row used exactly once


REPEAT_PROFILE = MappingProfile(
    source="odk",
    fields={"record_id": FieldMapping("KEY"), "full_name": FieldMapping("name")},
    repeat=RepeatMapping(
        "central_singlerepeat-child",
        {"attempt_number": FieldMapping("age")},
        required=["attempt_number"],
    ),
)


def test_odk_repeat_files_beside_the_form_become_its_encounters(
    fixtures_folder: Path, vocabulary: Bundle
) -> None:
    table = read_path(fixtures_folder / "odk" / "central_singlerepeat.csv").table()
    rows, errors = validate_table(table, REPEAT_PROFILE, vocabulary)
    assert errors == []
    told = {row.attributes.record_id: row.encounter_rows() for row in rows}
    assert Counter({key: len(items) for key, items in told.items()}) == Counter(
        {"one": 0, "two": 2, "three": 1}
    )
    assert [item.attributes.attempt_number for item in told["two"]] == [4, 6]


def odk_pair(tmp_path: Path, child_rows: str) -> Table:
    (tmp_path / "form.csv").write_text(
        "SubmissionDate,meta-instanceID,name,KEY\n2018-01-01,a,Ana,a\n2018-01-01,b,Bea,b\n",
        encoding="utf-8",
    )
    (tmp_path / "form-attempts.csv").write_text(
        "age,PARENT_KEY,KEY\n" + child_rows, encoding="utf-8"
    )
    return read_path(tmp_path / "form.csv").table()


def test_a_bad_repeat_cell_names_the_repeat_sheet_and_row_and_fails_its_main_row(
    tmp_path: Path, vocabulary: Bundle
) -> None:
    table = odk_pair(tmp_path, "2,a,a/1\n500,b,b/1\n3,b,b/2\n")
    profile = MappingProfile(
        source="odk",
        fields={"full_name": FieldMapping("name")},
        repeat=RepeatMapping("form-attempts", {"attempt_number": FieldMapping("age")}),
    )
    rows, errors = validate_table(table, profile, vocabulary)
    assert [row.provenance.row for row in rows] == [2]
    assert [(e.file, e.sheet, e.row, e.column, e.problem) for e in errors] == [
        (
            "form.csv",
            "",
            3,
            "",
            "its repeat group 'form-attempts' has rows that failed (row 3); "
            "see them in this report",
        ),
        ("form-attempts.csv", "form-attempts", 3, "age", "expected a whole number from 1 to 100"),
    ]


def test_a_changed_repeat_row_changes_its_main_rows_hash(
    tmp_path: Path, vocabulary: Bundle
) -> None:
    profile = MappingProfile(
        source="odk",
        fields={"full_name": FieldMapping("name")},
        repeat=RepeatMapping("form-attempts", {"attempt_number": FieldMapping("age")}),
    )
    before, _ = validate_table(odk_pair(tmp_path, "2,a,a/1\n3,b,b/1\n"), profile, vocabulary)
    after, _ = validate_table(odk_pair(tmp_path, "2,a,a/1\n4,b,b/1\n"), profile, vocabulary)
    assert before[0].provenance.digest == after[0].provenance.digest
    assert before[1].provenance.digest != after[1].provenance.digest


def test_a_profile_naming_a_repeat_sheet_the_file_lacks_gives_one_error(
    vocabulary: Bundle,
) -> None:
    table = read_bytes(b"name\nAna\n", "plain.csv").table()
    profile = MappingProfile(
        source="x",
        fields={"full_name": FieldMapping("name")},
        repeat=RepeatMapping("intentos", {"port": FieldMapping("garita")}),
    )
    rows, errors = validate_table(table, profile, vocabulary)
    assert rows == [] and [(e.sheet, e.row) for e in errors] == [("intentos", 1)]
    assert "no such sheet" in errors[0].problem


def test_a_profile_without_a_repeat_keeps_one_encounter_per_row(vocabulary: Bundle) -> None:
    table = read_bytes(b"garita\n2504-SYS\n\n", "one.csv").table()
    profile = MappingProfile(source="x", fields={"port": FieldMapping("garita")})
    rows, _ = validate_table(table, profile, vocabulary)
    assert rows[0].encounters is None
    assert [item.attributes.port for item in rows[0].encounter_rows()] == ["2504-SYS"]


def test_the_repeat_section_survives_saving_and_loading(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    save_mapping(REPEAT_PROFILE, path)
    assert "repeat:" in path.read_text(encoding="utf-8")
    assert load_mapping(path).repeat == REPEAT_PROFILE.repeat


def test_a_repeat_section_mapping_a_person_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(
        "source: x\nfields: {full_name: {column: n}}\n"
        "repeat: {sheet: intentos, fields: {full_name: {column: n}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="a repeat row can give only"):
        load_mapping(path)
