"""Importing a source: all or nothing, idempotent, sealed identities, audited updates."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.errors import ValidationError
from testimonio.ingest.mapping import FieldMapping, MappingProfile
from testimonio.ingest.readers import read_path
from testimonio.ingest.validation import validate_table
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Coding, Encounter, Person, Record, Source
from testimonio.web.cases.vocabulary_bundle import bundle_of
from testimonio.web.imports.actions import do_import_rows
from testimonio.web.keys.identity import open_identity
from tests.web.imports.records import origin, record_for, recorded

pytestmark = pytest.mark.django_db

HEADER = "id,nombre,apellidos,nacimiento,garita,fecha,que_paso\n"
ROWS = [
    "A-1,Canarito,Zzyzx Pájaro,1990-03-02,2504-SYS,14/05/2017,amenazas\n",
    "A-2,Lupe,Ramírez,,2503-CXW,06/2018,TAC.DENY.CAPACITY\n",
]
PROFILE = MappingProfile(
    source="intake",
    fields={
        "record_id": FieldMapping("id"),
        "given_names": FieldMapping("nombre"),
        "surnames": FieldMapping("apellidos"),
        "birth_date": FieldMapping("nacimiento", date_order="YMD"),
        "port": FieldMapping("garita"),
        "encounter_date": FieldMapping("fecha", date_order="DMY"),
        "tactics": FieldMapping("que_paso", values={"amenazas": "TAC.THREAT"}),
    },
)


def import_file(source: Source, path: Path, *, skip_invalid: bool = False):  # type: ignore[no-untyped-def]
    table = read_path(path).table()
    rows, errors = validate_table(table, PROFILE, bundle_of(source.project.vocabulary))
    return do_import_rows(source, rows, errors, None, skip_invalid=skip_invalid)


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "intake.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_each_row_becomes_a_person_with_a_sealed_record_and_a_coded_encounter(
    source: Source, tmp_path: Path
) -> None:
    result = import_file(source, write(tmp_path, *ROWS))
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    record = record_for("A-1")
    assert (origin(record)["file"], origin(record)["row"]) == ("intake.csv", 2)
    assert open_identity(record).surnames == "Zzyzx Pájaro"
    encounter = Encounter.objects.get(record=record)
    assert (encounter.date.isoformat(), encounter.port.code) == ("2017-05-14", "2504-SYS")
    assert list(
        Coding.objects.filter(encounter=encounter).values_list("term__code", flat=True)
    ) == ["TAC.THREAT"]
    assert Person.objects.count() == 2


def test_a_file_with_one_bad_row_writes_nothing(source: Source, tmp_path: Path) -> None:
    events_before = AuditEvent.objects.count()
    bad = "A-3,Ana,López,1990-13-40,XX-NOWHERE,2018,amenazas\n"
    with pytest.raises(ValidationError, match="1 row\\(s\\) failed validation"):
        import_file(source, write(tmp_path, *ROWS, bad))
    assert Record.objects.count() == 0 and Person.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_skip_invalid_imports_the_valid_rows_and_names_the_others(
    source: Source, tmp_path: Path
) -> None:
    bad = "A-3,Ana,López,1990-13-40,2504-SYS,2018,amenazas\n"
    result = import_file(source, write(tmp_path, *ROWS, bad), skip_invalid=True)
    assert result.created == 2 and result.skipped_rows == [4]
    assert not recorded("A-3")


def test_importing_the_same_file_twice_changes_nothing(source: Source, tmp_path: Path) -> None:
    path = write(tmp_path, *ROWS)
    import_file(source, path)
    again = import_file(source, path)
    assert (again.created, again.unchanged) == (0, 2)
    assert Record.objects.count() == 2


def test_a_changed_row_is_updated_and_the_update_audited(source: Source, tmp_path: Path) -> None:
    import_file(source, write(tmp_path, *ROWS))
    changed = ROWS[1].replace("Ramírez", "Ramírez Soto")
    result = import_file(source, write(tmp_path, ROWS[0], changed))
    assert (result.updated, result.unchanged) == (1, 1)
    record = record_for("A-2")
    assert open_identity(record).surnames == "Ramírez Soto"
    event = AuditEvent.objects.get(action="cases.record.update")
    assert "Soto" not in str(event.details)


def test_each_imported_record_has_one_audit_event_naming_what_it_created(
    source: Source, tmp_path: Path
) -> None:
    from testimonio.web.audit.log import verify_chain

    import_file(source, write(tmp_path, *ROWS))
    assert AuditEvent.objects.filter(action="cases.record.import").count() == 2
    assert AuditEvent.objects.filter(action="cases.import").count() == 1
    record = record_for("A-1")
    event = AuditEvent.objects.get(action="cases.record.import", object_id=str(record.pk))
    encounter = Encounter.objects.get(record=record)
    assert event.object_type == "cases.record"
    assert event.details["person"] == record.person.pseudonym  # type: ignore[union-attr]
    assert event.details["record"] == str(record.uuid)
    assert event.details["encounters"] == [{"uuid": str(encounter.uuid), "codes": ["TAC.THREAT"]}]
    assert verify_chain() == []
    details = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert "Canarito" not in details and "Zzyzx" not in details and "1990" not in details


def test_imported_ids_follow_rows_written_before_and_never_reuse_deleted_ones(
    source: Source, tmp_path: Path
) -> None:
    import_file(source, write(tmp_path, ROWS[0]))
    first = record_for("A-1")
    Encounter.objects.filter(record=first).delete()
    Record.objects.filter(pk=first.pk).delete()
    import_file(source, write(tmp_path, ROWS[1]))
    second = record_for("A-2")
    assert second.pk > first.pk
    assert Encounter.objects.get(record=second).person == second.person


@pytest.fixture(scope="module")
def shelter_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from testimonio.simulation import SimulationConfig, generate_world

    folder = tmp_path_factory.mktemp("world")
    generate_world(SimulationConfig(people=150, sources=4, seed=5), folder)
    return folder


def import_kobo(source: Source, world: Path):  # type: ignore[no-untyped-def]
    table, profile, bundle = kobo_profile(source, world)
    rows, errors = validate_table(table, profile, bundle)
    assert errors == []
    return do_import_rows(source, rows, errors, None), table


def kobo_profile(source: Source, world: Path):  # type: ignore[no-untyped-def]
    """The shelter's Kobo export, and its proposed profile as a reviewer completes it."""
    from testimonio.ingest.mapping import propose_mapping

    table = read_path(world / "shelter_survey" / "kobo_export.xlsx").table()
    bundle = bundle_of(source.project.vocabulary)
    profile = propose_mapping(table, bundle, source="shelter")
    assert profile.repeat is not None
    from tests.ingest.reviewing import map_flagged_values

    decisions = {"tactics": "TAC.OTHER", "sex": "other"}
    map_flagged_values(table, profile, lambda field: decisions.get(field, "OUT.TURNED_BACK"))
    return table, profile, bundle


def test_each_kobo_repeat_row_becomes_an_encounter_of_the_records_person(
    source: Source, shelter_world: Path
) -> None:
    import csv

    result, table = import_kobo(source, shelter_world)
    assert result.created == len(table.rows)
    with (shelter_world / "truth" / "people.csv").open(encoding="utf-8") as handle:
        turn_backs = {r["person_id"]: int(r["turn_backs"]) for r in csv.DictReader(handle)}
    with (shelter_world / "truth" / "records.csv").open(encoding="utf-8") as handle:
        expected = {
            int(r["location"]): turn_backs[r["person_id"]]
            for r in csv.DictReader(handle)
            if r["source"] == "shelter_survey"
        }
    found = {
        origin(record)["row"]: record.encounters.filter(person=record.person).count()
        for record in Record.objects.filter(source=source)
    }
    assert found == expected
    assert Encounter.objects.count() == len(table.repeats["intentos"].rows)
    most = max(expected, key=expected.__getitem__)
    told = Encounter.objects.filter(
        record__in=[r for r in Record.objects.filter(source=source) if origin(r)["row"] == most]
    )
    assert sorted(told.values_list("attempt_number", flat=True)) == list(range(1, told.count() + 1))
    assert Coding.objects.filter(evidence__startswith="intentos row ").exists()


def test_a_kobo_export_imported_in_chunks_by_workers_gets_the_same_encounters(
    source: Source, shelter_world: Path
) -> None:
    from testimonio.web.cases.actions import do_create_source
    from testimonio.web.imports.actions import do_import_table

    import_kobo(source, shelter_world)
    table, profile, bundle = kobo_profile(source, shelter_world)
    other = do_create_source(source.project, "Shelter, in chunks", None, kind="survey")
    # Chunks of 7 main rows: repeat rows are joined to main rows in other chunks' workers.
    result, errors = do_import_table(other, table, profile, bundle, None, workers=2, chunk_rows=7)
    assert (result.created, errors) == (len(table.rows), [])

    def told(of: Source) -> dict[int, list[tuple[object, ...]]]:
        return {
            origin(record)["row"]: sorted(
                record.encounters.values_list("attempt_number", "date_year", "port_id")
            )
            for record in Record.objects.filter(source=of)
        }

    assert told(other) == told(source)


def test_reimporting_a_kobo_export_with_repeats_changes_nothing(
    source: Source, shelter_world: Path
) -> None:
    first, _ = import_kobo(source, shelter_world)
    counts = (Record.objects.count(), Encounter.objects.count(), Coding.objects.count())
    again, _ = import_kobo(source, shelter_world)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert (Record.objects.count(), Encounter.objects.count(), Coding.objects.count()) == counts


def test_the_audit_event_of_a_record_names_each_repeat_encounter(
    source: Source, shelter_world: Path
) -> None:
    import_kobo(source, shelter_world)
    record = max(Record.objects.filter(source=source), key=lambda r: r.encounters.count())
    event = AuditEvent.objects.get(action="cases.record.import", object_id=str(record.pk))
    assert sorted(item["uuid"] for item in event.details["encounters"]) == sorted(
        str(u) for u in record.encounters.values_list("uuid", flat=True)
    )


def test_imported_blind_indexes_are_those_a_single_record_gets(
    source: Source, tmp_path: Path
) -> None:
    from testimonio.web.cases.models import RecordIdentity
    from testimonio.web.keys.identity import IdentityFields, seal_identity

    import_file(source, write(tmp_path, *ROWS))
    record = record_for("A-1")
    alone = seal_identity(record, IdentityFields(surnames="Zzyzx Pájaro", birth_date="1990-03-02"))
    stored = RecordIdentity.objects.get(record=record)
    assert stored.surname_year_index == alone.surname_year_index != ""
    assert stored.birth_date_index == alone.birth_date_index != ""


def test_skip_invalid_leaves_out_a_record_whose_repeat_row_failed(
    source: Source, tmp_path: Path
) -> None:
    from testimonio.ingest.mapping import RepeatMapping

    (tmp_path / "form.csv").write_text(
        "SubmissionDate,meta-instanceID,name,KEY\n2018-01-01,a,Ana,a\n2018-01-01,b,Bea,b\n",
        encoding="utf-8",
    )
    (tmp_path / "form-attempts.csv").write_text(
        "garita,PARENT_KEY,KEY\n2504-SYS,a,a/1\n2503-CXW,a,a/2\nXX-NOWHERE,b,b/1\n",
        encoding="utf-8",
    )
    profile = MappingProfile(
        source="odk",
        fields={"record_id": FieldMapping("KEY"), "full_name": FieldMapping("name")},
        repeat=RepeatMapping("form-attempts", {"port": FieldMapping("garita")}, []),
    )
    table = read_path(tmp_path / "form.csv").table()
    rows, errors = validate_table(table, profile, bundle_of(source.project.vocabulary))
    with pytest.raises(ValidationError, match="2 row\\(s\\) failed validation"):
        do_import_rows(source, rows, errors, None)
    result = do_import_rows(source, rows, errors, None, skip_invalid=True)
    assert result.created == 1 and result.skipped_rows == [3, 4]
    record = Record.objects.get(source=source)
    assert origin(record)["key"] == "a"
    assert sorted(record.encounters.values_list("port__code", flat=True)) == [
        "2503-CXW",
        "2504-SYS",
    ]


def test_an_imported_narrative_opens_under_its_own_key_and_every_key_is_distinct(
    source: Source, tmp_path: Path
) -> None:
    from testimonio.web.cases.models import EncounterNarrative
    from testimonio.web.keys.identity import open_narrative
    from testimonio.web.keys.models import DataKey

    path = tmp_path / "intake.csv"
    path.write_text(
        "id,apellidos,garita,fecha,relato\n"
        "N-1,Pérez,2504-SYS,2017,Me dijeron que no había lugar.\n"
        "N-2,Joseph,2503-CXW,2018,Nos mandaron de regreso.\n",
        encoding="utf-8",
    )
    profile = MappingProfile(
        source="intake",
        fields={
            "record_id": FieldMapping("id"),
            "surnames": FieldMapping("apellidos"),
            "port": FieldMapping("garita"),
            "encounter_date": FieldMapping("fecha", date_order="DMY"),
            "narrative": FieldMapping("relato"),
        },
    )
    rows, errors = validate_table(
        read_path(path).table(), profile, bundle_of(source.project.vocabulary)
    )
    do_import_rows(source, rows, errors, None)
    texts = {
        origin(Record.objects.get(pk=n.encounter.record_id))["key"]: open_narrative(n)
        for n in EncounterNarrative.objects.select_related("encounter")
    }
    assert texts == {"N-1": "Me dijeron que no había lugar.", "N-2": "Nos mandaron de regreso."}
    wrapped = list(DataKey.objects.values_list("wrapped", flat=True))
    assert len(wrapped) == 4 and len({bytes(w) for w in wrapped}) == 4  # 2 records, 2 narratives


def test_a_file_name_that_names_someone_is_shown_only_in_an_audited_reveal(
    source: Source, tmp_path: Path
) -> None:
    from tests.web.clients import signed_in
    from tests.web.conftest import member

    named = tmp_path / "lista de Canarito Pájaro.csv"
    named.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    import_file(source, named)
    details = [str(event.details) for event in AuditEvent.objects.all()]
    assert not [text for text in details if "Canarito" in text]
    person = Record.objects.filter(source=source).first().person  # type: ignore[union-attr]
    url = f"/p/{source.project.slug}/people/{person.pseudonym}/"
    analyst = member(source.project, "analyst", "analyst")
    assert "Canarito" not in signed_in(analyst).get(url).content.decode()
    intake = member(source.project, "intake", "intake")
    client = signed_in(intake)
    assert "Canarito" not in client.get(url).content.decode()  # sealed with the identity
    assert "Canarito" in client.post(url).content.decode()  # shown in an audited reveal


def test_two_lists_without_an_id_column_in_one_source_do_not_overwrite_each_other(
    source: Source, tmp_path: Path
) -> None:
    profile = MappingProfile(
        source="intake",
        fields={k: v for k, v in PROFILE.fields.items() if k != "record_id"},
    )
    months = {"enero": ["Ana", "Berta", "Carla"], "febrero": ["Dora", "Elena", "Fany"]}
    for month, names in months.items():
        path = tmp_path / f"{month}.csv"
        lines = [
            f"x,{name},Zzyzx,1990-01-0{n + 1},2504-SYS,2018,amenazas\n"
            for n, name in enumerate(names)
        ]
        path.write_text(HEADER + "".join(lines), encoding="utf-8")
        rows, errors = validate_table(
            read_path(path).table(), profile, bundle_of(source.project.vocabulary)
        )
        result = do_import_rows(source, rows, errors, None)
        assert (result.created, result.updated, result.unchanged) == (3, 0, 0), month
    given = sorted(open_identity(r).given_names for r in Record.objects.filter(source=source))
    assert given == sorted(months["enero"] + months["febrero"])
    again = validate_table(
        read_path(tmp_path / "enero.csv").table(), profile, bundle_of(source.project.vocabulary)
    )
    result = do_import_rows(source, *again, None)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
