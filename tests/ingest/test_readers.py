"""Readers turn CSVs in any common encoding, workbooks, Kobo and ODK exports into tables."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from testimonio.errors import InputError
from testimonio.ingest.readers import link_repeat, read_bytes, read_path

ROWS = "nombre;fecha;garita\nJosé Núñez;2018-06-25;San Ysidro\nAna;2019-01-02;Otay Mesa\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ROWS.encode("utf-8"), "utf-8"),
        (ROWS.encode("utf-8-sig"), "utf-8-sig"),
        (ROWS.encode("utf-16"), "utf-16"),
        (ROWS.encode("cp1252"), "cp1252"),
    ],
)
def test_the_encoding_of_a_csv_is_detected_and_reported(data: bytes, encoding: str) -> None:
    source = read_bytes(data, "lista.csv")
    assert source.encoding == encoding
    assert source.tables[0].rows[0][0] == "José Núñez"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_of_a_csv_is_detected_and_reported(delimiter: str) -> None:
    source = read_bytes(ROWS.replace(";", delimiter).encode(), "lista.csv")
    assert source.delimiter == delimiter
    assert source.tables[0].header == ["nombre", "fecha", "garita"]


def test_each_row_keeps_the_line_number_a_person_sees_in_the_file() -> None:
    data = b'a,b\n1,"two\nlines"\n\n3,4\n'
    assert read_bytes(data, "x.csv").tables[0].row_numbers == [2, 5]


def test_every_sheet_of_a_workbook_is_read_with_dates_and_numbers_as_text(tmp_path: Path) -> None:
    import datetime as dt

    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Registro"
    first.append(["No.", "Fecha", "Edad"])
    first.append([1, dt.date(2018, 6, 25), 34.0])
    workbook.create_sheet("Otra").append(["x"])
    workbook["Otra"].append(["y"])
    workbook.save(tmp_path / "libro.xlsx")
    source = read_path(tmp_path / "libro.xlsx")
    assert [table.sheet for table in source.tables] == ["Registro", "Otra"]
    assert source.tables[0].rows == [["1", "2018-06-25", "34"]]


def test_a_kobo_csv_export_is_recognised_and_its_hxl_row_skipped() -> None:
    text = (
        '"nombres";"intento/tacticas";"intento/tacticas/a";"intento/tacticas/b";"_uuid";"_index"\n'
        '"#affected+name";"";"";"";"";""\n'
        '"Ana";"a b";"1";"1";"u1";"1"\n'
    )
    source = read_bytes(text.encode(), "kobo.csv")
    table = source.tables[0]
    assert source.format == "kobo"
    assert table.row_numbers == [3]
    assert table.select_multiple == {
        "intento/tacticas": ["intento/tacticas/a", "intento/tacticas/b"]
    }


def test_a_select_multiple_exported_only_as_choice_columns_is_rebuilt() -> None:
    text = "q1/a,q1/b,KEY,SubmissionDate\n1,0,k1,2018\n1,1,k2,2018\n"
    table = read_bytes(text.encode(), "odk.csv").tables[0]
    assert table.column("q1") == ["a", "a b"]


def test_kobo_repeat_sheets_are_joined_to_their_parent_rows(world: Path) -> None:
    source = read_path(world / "shelter_survey" / "kobo_export.xlsx")
    main, attempts = source.tables
    assert attempts.parent_sheet == main.sheet
    assert set(attempts.parent_rows) <= set(main.row_numbers)
    assert len(attempts.parent_rows) == len(attempts.rows)


def test_odk_repeat_files_are_joined_by_parent_key(fixtures_folder: Path) -> None:
    parent = read_path(fixtures_folder / "odk" / "central_singlerepeat.csv").tables[0]
    child = read_path(fixtures_folder / "odk" / "central_singlerepeat-child.csv").tables[0]
    assert link_repeat(parent, child) == [3, 3, 4]


def test_a_repeat_row_without_a_parent_is_refused_naming_its_row(fixtures_folder: Path) -> None:
    parent = read_path(fixtures_folder / "odk" / "central_singlerepeat.csv").tables[0]
    child = read_bytes(b"name,PARENT_KEY,KEY\nBilly,nobody,x\n", "child.csv").tables[0]
    with pytest.raises(InputError, match=r"child\.csv \[\], row 2, column 'PARENT_KEY'"):
        link_repeat(parent, child)


def test_odk_split_select_multiples_are_recognised(fixtures_folder: Path) -> None:
    source = read_path(fixtures_folder / "odk" / "central_selectMultiple_split.csv")
    assert source.format == "odk"
    assert source.tables[0].select_multiple == {
        "q1": ["q1/a", "q1/b"],
        "g1-q2": ["g1-q2/x", "g1-q2/y", "g1-q2/z"],
    }


def test_every_reference_fixture_is_read(fixtures_folder: Path) -> None:
    paths = sorted(path for path in (fixtures_folder / "odk").iterdir() if path.is_file())
    assert paths
    for path in paths:
        source = read_path(path)
        assert all(table.header and table.rows for table in source.tables), path.name


def test_every_kind_of_simulated_source_is_read(world: Path) -> None:
    paths = [
        "legal_aid/intake_log.csv",
        "shelter_survey/kobo_export.csv",
        "shelter_survey/kobo_export.xlsx",
        "partner_spreadsheet/registro_intentos.xlsx",
        "declarations/exhibit_index.csv",
    ]
    for path in paths:
        assert read_path(world / path).tables[0].rows, path


def test_large_tables_can_be_taken_in_batches() -> None:
    data = ("id\n" + "".join(f"{n}\n" for n in range(12))).encode()
    table = read_bytes(data, "ids.csv").tables[0]
    assert [len(rows) for _numbers, rows in table.chunks(5)] == [5, 5, 2]


def test_a_workbook_in_memory_and_on_disk_read_the_same(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["a"])
    sheet.append(["b"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (tmp_path / "w.xlsx").write_bytes(buffer.getvalue())
    assert (
        read_bytes(buffer.getvalue(), "w.xlsx").tables[0].rows
        == read_path(tmp_path / "w.xlsx").tables[0].rows
    )
