"""ODK Central's ZIP export (form CSV, one CSV per repeat group, media/) reads like the folder."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from testimonio.errors import InputError
from testimonio.ingest.file_checks import Limits, check_file
from testimonio.ingest.mapping import FieldMapping, MappingProfile, RepeatMapping, propose_mapping
from testimonio.ingest.readers import read_bytes, read_path
from testimonio.ingest.tables import SourceFile
from testimonio.ingest.validation import validate_table
from testimonio.vocab.bundle import Bundle

#: Shaped like ODK Central's export of a form ``turnbacks`` with two repeat groups.
FORM = (
    "SubmissionDate,datos-nombres,datos-apellidos,datos-fecha_nacimiento,meta-instanceID,KEY,"
    "SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,"
    "DeviceID,Edits,FormVersion\n"
    "2018-07-01T10:00:00.000Z,Ana,Pérez,1990-03-02,uuid:a1,uuid:a1,5,campo,1,1,,,,0,v1\n"
    "2018-07-02T10:00:00.000Z,Luis,Gómez,1985-11-20,uuid:b2,uuid:b2,5,campo,0,0,,,,0,v1\n"
    "2018-07-03T10:00:00.000Z,Eva,Ruiz,1979-01-15,uuid:c3,uuid:c3,5,campo,0,0,,,,0,v1\n"
)
ATTEMPTS = (
    "intentos-fecha,intentos-garita,PARENT_KEY,KEY\n"
    "2018-06-25,2504-SYS,uuid:a1,uuid:a1/intentos[1]\n"
    "2018-06-28,2503-CXW,uuid:a1,uuid:a1/intentos[2]\n"
    "2018-06-30,2504-SYS,uuid:c3,uuid:c3/intentos[1]\n"
)
RELATIVES = (
    "familiar-parentesco,familiar-edad,PARENT_KEY,KEY\n"
    "hija,7,uuid:a1,uuid:a1/familiar[1]\n"
    "hijo,4,uuid:b2,uuid:b2/familiar[1]\n"
)
EXPORT_FILES: dict[str, str | bytes] = {
    "turnbacks.csv": FORM,
    "turnbacks-intentos.csv": ATTEMPTS,
    "turnbacks-familiar.csv": RELATIVES,
    "media/1700000000000.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4,
}
#: What the export says: each submission's KEY -> its rows in the ``intentos`` repeat.
ATTEMPTS_PER_RECORD = {"uuid:a1": 2, "uuid:b2": 0, "uuid:c3": 1}
PROFILE = MappingProfile(
    source="odk",
    fields={"record_id": FieldMapping("KEY"), "given_names": FieldMapping("datos-nombres")},
    repeat=RepeatMapping(
        "turnbacks-intentos",
        {
            "encounter_date": FieldMapping("intentos-fecha", date_order="YMD"),
            "port": FieldMapping("intentos-garita"),
        },
        number_in_order=True,
    ),
)
PROFILE_YAML = """\
source: odk
fields:
  record_id: {column: KEY}
  given_names: {column: datos-nombres}
repeat:
  sheet: turnbacks-intentos
  number_in_order: true
  fields:
    encounter_date: {column: intentos-fecha, date_order: YMD}
    port: {column: intentos-garita}
"""


def zip_of(files: dict[str, str | bytes]) -> bytes:
    """A ZIP as ODK Central writes it (deflated members, folders as name prefixes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def odk_export() -> bytes:
    return zip_of(EXPORT_FILES)


def bad_zips() -> dict[str, bytes]:
    """Archives that must each give one clear message and import nothing."""
    bomb = zip_of({"turnbacks.csv": FORM, "turnbacks-intentos.csv": b"0" * (60 * 2**20)})
    return {
        "bomb-export.zip": bomb,
        "nested-export.zip": zip_of({**EXPORT_FILES, "more.zip": odk_export()}),
        "unrelated.zip": zip_of({"notes.txt": "nada", "lista.csv": "nombre,garita\nAna,x\n"}),
        "truncated-export.zip": odk_export()[:300],
    }


def test_the_zip_reads_the_form_and_both_repeat_groups() -> None:
    source = read_bytes(odk_export(), "export.zip")
    assert (source.name, source.format, source.encoding) == ("export.zip", "odk", "utf-8")
    main = source.table()
    assert main.sheet == "" and main.file == "export.zip/turnbacks.csv"
    assert main.column("KEY") == ["uuid:a1", "uuid:b2", "uuid:c3"]
    assert list(main.repeats) == ["turnbacks-familiar", "turnbacks-intentos"]
    assert main.repeats["turnbacks-intentos"].parent_rows == [2, 2, 4]
    assert main.repeats["turnbacks-familiar"].parent_rows == [2, 3]
    assert [table.sheet for table in source.tables] == [
        "",
        "turnbacks-familiar",
        "turnbacks-intentos",
    ]


def test_the_zip_gives_the_same_tables_as_the_files_side_by_side(tmp_path: Path) -> None:
    for name, content in EXPORT_FILES.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        (tmp_path / name).write_bytes(data)
    folder = read_path(tmp_path / "turnbacks.csv")
    (tmp_path / "export.zip").write_bytes(odk_export())
    zipped = read_path(tmp_path / "export.zip")
    assert shape(zipped) == shape(folder)
    assert len(zipped.tables) == 3


def shape(source: SourceFile) -> list[object]:
    """Everything a profile and validation see of a source, but the file names."""
    return [
        (t.sheet, t.header, t.rows, t.row_numbers, t.parent_sheet, t.parent_rows, list(t.repeats))
        for t in source.tables
    ] + [source.format, source.encoding, source.delimiter]


def test_media_is_left_out_and_the_preview_notes_say_so() -> None:
    notes = read_bytes(odk_export(), "export.zip").table().notes
    assert any("left out the 1 file(s) in the export's media/ folder" in note for note in notes)
    without_media = zip_of({k: v for k, v in EXPORT_FILES.items() if not k.startswith("media")})
    assert read_bytes(without_media, "export.zip").table().notes == []


def test_each_record_gets_one_encounter_per_row_of_its_repeat(vocabulary: Bundle) -> None:
    rows, errors = validate_table(read_bytes(odk_export(), "x.zip").table(), PROFILE, vocabulary)
    assert errors == []
    told = {row.attributes.record_id: row.encounter_rows() for row in rows}
    assert {key: len(items) for key, items in told.items()} == ATTEMPTS_PER_RECORD
    assert [item.attributes.port for item in told["uuid:a1"]] == ["2504-SYS", "2503-CXW"]
    assert [item.attributes.attempt_number for item in told["uuid:a1"]] == [1, 2]
    assert {item.sheet for items in told.values() for item in items} == {"turnbacks-intentos"}


def test_the_proposed_profile_takes_the_repeat_that_holds_dates(vocabulary: Bundle) -> None:
    profile = propose_mapping(read_bytes(odk_export(), "x.zip").table(), vocabulary)
    assert profile.repeat is not None and profile.repeat.sheet == "turnbacks-intentos"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bomb-export.zip", "bomb-export.zip: the archive unpacks to far more than its size"),
        ("nested-export.zip", "nested-export.zip: the archive contains further archives"),
        ("unrelated.zip", "unrelated.zip: this ZIP archive is not an ODK Central export"),
        ("truncated-export.zip", "truncated-export.zip: the archive is damaged or truncated"),
    ],
)
def test_a_bad_zip_gives_one_clear_line(name: str, message: str) -> None:
    with pytest.raises(InputError) as refused:
        read_bytes(bad_zips()[name], name)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)


def test_an_archive_disguised_as_a_csv_member_is_refused_by_its_bytes() -> None:
    inner = zip_of({"a.csv": "x\n1\n"})
    disguised = zip_of({"turnbacks.csv": FORM, "turnbacks-intentos.csv": inner})
    with pytest.raises(InputError, match=r"^e\.zip/turnbacks-intentos\.csv: the archive contains"):
        read_bytes(disguised, "e.zip")
    gzipped = zip_of({"turnbacks.csv": FORM, "readme": b"\x1f\x8b\x08\x00" + b"\x00" * 40})
    with pytest.raises(InputError, match="further archives"):
        read_bytes(gzipped, "e.zip")


def test_the_office_limits_apply_to_the_export() -> None:
    with pytest.raises(InputError, match="^e.zip: the archive holds too many parts"):
        read_bytes(odk_export(), "e.zip", limits=Limits(max_members=3))
    many = ATTEMPTS + "".join(
        f"2018-06-25,2504-SYS,uuid:a1,uuid:a1/intentos[{n}]\n" for n in range(3, 500)
    )
    large = zip_of({"turnbacks.csv": FORM, "turnbacks-intentos.csv": many})
    assert len(large) < 8000 < len(many)
    with pytest.raises(InputError, match=r"^e.zip/turnbacks-intentos.csv: the file is larger"):
        read_bytes(large, "e.zip", limits=Limits(max_bytes=8000))
    with pytest.raises(InputError, match="^e.zip: the archive unpacks to far more"):
        read_bytes(odk_export(), "e.zip", limits=Limits(max_unpacked_bytes=1000))


def test_an_export_with_two_forms_or_no_form_file_says_which() -> None:
    two = zip_of({"a.csv": FORM, "b.csv": FORM})
    with pytest.raises(InputError, match=r"more than one form \(a.csv, b.csv\)"):
        read_bytes(two, "two.zip")
    repeats_only = zip_of({"turnbacks-intentos.csv": ATTEMPTS})
    with pytest.raises(InputError, match="repeat files but not the form's own CSV"):
        read_bytes(repeats_only, "r.zip")


def test_a_broken_member_is_named_with_its_row() -> None:
    orphan = ATTEMPTS + "2018-07-01,2504-SYS,uuid:zz,uuid:zz/intentos[1]\n"
    export = zip_of({"turnbacks.csv": FORM, "turnbacks-intentos.csv": orphan})
    with pytest.raises(InputError, match=r"^x.zip/turnbacks-intentos.csv \[.*\], row 5"):
        read_bytes(export, "x.zip")
    unreadable = zip_of({"turnbacks.csv": FORM.encode("utf-8") + b"\x00\x01\x02" * 50})
    with pytest.raises(InputError, match=r"^x.zip/turnbacks.csv: "):
        read_bytes(unreadable, "x.zip")


def test_other_files_and_unrelated_csvs_are_left_out_with_a_note() -> None:
    export = zip_of({**EXPORT_FILES, "otra.csv": "a,b\n1,2\n", "__MACOSX/._x": b"x"})
    notes = read_bytes(export, "e.zip").table().notes
    assert "left out 2 other file(s) of the archive that are not this form's CSV files" in notes


def test_only_the_import_readers_accept_a_plain_zip() -> None:
    with pytest.raises(InputError, match="files of type application/zip are not accepted"):
        check_file(odk_export(), "export.zip")  # evidence uploads keep refusing archives
    assert check_file(odk_export(), "export.zip", zip_archives=True).extension == "zip"


def test_a_bomb_whose_headers_lie_about_its_size_is_not_unpacked_past_them() -> None:
    size = 10 * 2**20
    honest = zip_of({"turnbacks.csv": FORM, "turnbacks-intentos.csv": b"0" * size})
    declared = struct.pack("<I", size)
    assert honest.count(declared) == 2  # the local header and the central directory
    lying = honest.replace(declared, struct.pack("<I", 100))
    with pytest.raises(InputError, match=r"^b.zip/turnbacks-intentos.csv: the archive is dama"):
        read_bytes(lying, "b.zip")
