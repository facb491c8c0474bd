"""Importing a source: all or nothing, idempotent, sealed identities, audited updates."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.errors import ValidationError
from testimonio.ingest.mapping import FieldMapping, MappingProfile
from testimonio.ingest.readers import read_path
from testimonio.ingest.validation import validate_table
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_import_rows
from testimonio.web.cases.identity import open_identity
from testimonio.web.cases.models import Coding, Encounter, Person, Record, Source
from testimonio.web.cases.vocabulary_bundle import bundle_of

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
    record = Record.objects.get(source=source, external_id="A-1")
    assert (record.file_name, record.row_number) == ("intake.csv", 2)
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
    assert not Record.objects.filter(external_id="A-3").exists()


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
    record = Record.objects.get(external_id="A-2")
    assert open_identity(record).surnames == "Ramírez Soto"
    event = AuditEvent.objects.get(action="cases.record.update")
    assert "Soto" not in str(event.details)


def test_every_imported_object_has_its_audit_event_and_the_chain_holds(
    source: Source, tmp_path: Path
) -> None:
    from testimonio.web.audit.log import verify_chain

    import_file(source, write(tmp_path, *ROWS))
    for action, count in [
        ("cases.person.create", 2),
        ("cases.record.create", 2),
        ("cases.encounter.create", 2),
        ("cases.coding.create", 2),
        ("cases.import", 1),
    ]:
        assert AuditEvent.objects.filter(action=action).count() == count, action
    assert verify_chain() == []
    assert "Canarito" not in str(list(AuditEvent.objects.values_list("details", flat=True)))
