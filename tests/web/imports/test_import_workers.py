"""Chunked imports, built in forked worker processes or in the importing one, write the same
records; a failure anywhere leaves nothing behind; validation errors in any chunk refuse all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

from testimonio.errors import ValidationError
from testimonio.ingest.mapping import FieldMapping, MappingProfile
from testimonio.ingest.readers import read_path
from testimonio.web.audit.log import verify_chain
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_project
from testimonio.web.cases.models import Coding, Encounter, Person, Record, Source
from testimonio.web.cases.vocabulary_bundle import bundle_of
from testimonio.web.imports import new_records as bulk_records
from testimonio.web.imports.actions import RowsFailed, do_import_table
from testimonio.web.keys.identity import open_identity
from testimonio.web.keys.models import DataKey
from tests.web.imports.records import origin, record_for

pytestmark = pytest.mark.django_db

needs_fork = pytest.mark.skipif(
    not hasattr(os, "fork"), reason="worker processes are forked (Linux and macOS)"
)

PROFILE = MappingProfile(
    source="intake",
    fields={
        "record_id": FieldMapping("id"),
        "given_names": FieldMapping("nombre"),
        "surnames": FieldMapping("apellidos"),
        "birth_date": FieldMapping("nacimiento", date_order="YMD"),
        "port": FieldMapping("garita"),
        "encounter_date": FieldMapping("fecha", date_order="YMD"),
        "tactics": FieldMapping("que_paso", values={"amenazas": "TAC.THREAT"}),
    },
)
PORTS = ["2504-SYS", "2503-CXW", "2506-OTM"]


def write_intake(
    tmp_path: Path, rows: int, *, bad_rows: tuple[int, ...] = (), odd_row: int | None = None
) -> Path:
    lines = ["id,nombre,apellidos,nacimiento,garita,fecha,que_paso\n"]
    for n in range(rows):
        port = "9999-NOWHERE" if n in bad_rows else PORTS[n % 3]
        port = "2504-PEDW" if n == odd_row else port  # a port no other row names
        lines.append(
            f"R-{n},Ana{n},Zzyzx Pérez{n},19{50 + n % 40}-0{1 + n % 9}-1{n % 9},{port},"
            f"2018-0{1 + n % 9},amenazas\n"
        )
    path = tmp_path / "intake.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def workers_run() -> None:
    """Worker processes are used on SQLite only: skip the tests of their failures elsewhere."""
    if connection.vendor != "sqlite":
        pytest.skip("import workers run on SQLite only")


def run_import(source: Source, path: Path, *, workers: int, chunk_rows: int = 40, **options):  # type: ignore[no-untyped-def]
    table = read_path(path).table()
    bundle = bundle_of(source.project.vocabulary)
    return do_import_table(
        source, table, PROFILE, bundle, None, workers=workers, chunk_rows=chunk_rows, **options
    )


def written(source: Source) -> list[tuple[object, ...]]:
    """What an import wrote, without the random parts (UUIDs, keys, ciphertexts)."""
    records = Record.objects.filter(source=source).order_by("pk")
    return [
        (
            origin(record)["key"],
            origin(record)["row"],
            record.raw_hash,
            record.person.pseudonym,
            open_identity(record).surnames,
            [
                (e.date_year, e.date_month, e.port_id, sorted(c.term.code for c in e.codings.all()))
                for e in Encounter.objects.filter(record=record)
            ],
        )
        for record in records
    ]


def events(source: Source) -> list[tuple[str, object, object]]:
    return [
        (event.action, event.details.get("person"), event.details.get("row"))
        for event in AuditEvent.objects.filter(project_id=source.project_id).order_by("sequence")
        if event.action == "cases.record.import"
    ]


@needs_fork
def test_chunks_built_in_workers_write_what_the_importing_process_writes(
    project, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = write_intake(tmp_path, 230)  # 6 chunks of 40, the last one short
    here = Source.objects.create(project=project, name="here")
    result, errors = run_import(here, path, workers=0)
    assert (result.created, errors) == (230, [])
    expected, expected_events = written(here), events(here)
    # Another project numbers its pseudonyms from 1 again.
    other = do_create_project("Turn-backs 2018", project.vocabulary, None, slug="turnbacks-2018")
    there = Source.objects.create(project=other, name="there")
    result, errors = run_import(there, path, workers=2)
    assert (result.created, errors) == (230, [])
    if connection.vendor == "sqlite":  # the chunks were staged and copied (workers ran)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA database_list")
            assert "testimonio_staging" in [row[1] for row in cursor.fetchall()]
    assert written(there) == expected
    assert events(there) == expected_events and len(expected_events) == 230
    assert verify_chain() == []
    pseudonyms = sorted(Person.objects.filter(project=other).values_list("pseudonym", flat=True))
    assert pseudonyms == [f"P-{n:06d}" for n in range(1, 231)]
    keys = DataKey.objects.filter(owner__in=Record.objects.filter(source=there).values("uuid"))
    assert keys.count() == 230


@needs_fork
def test_a_second_import_in_workers_finds_every_row_again(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.create(project=project, name="list")
    path = write_intake(tmp_path, 120)
    run_import(source, path, workers=2)
    result, _ = run_import(source, path, workers=2)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 120)


@needs_fork
def test_a_bad_row_in_a_late_chunk_refuses_the_chunks_already_written(
    project, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.create(project=project, name="list")
    before = (Record.objects.count(), AuditEvent.objects.count(), Coding.objects.count())
    path = write_intake(tmp_path, 200, bad_rows=(150, 190))
    with pytest.raises(RowsFailed) as failure:
        run_import(source, path, workers=2)
    # Every error of the file is reported, also those after the first failing chunk.
    assert sorted(error.row for error in failure.value.errors) == [152, 192]
    assert "2 row(s) failed validation, so nothing was imported" in str(failure.value)
    assert (Record.objects.count(), AuditEvent.objects.count(), Coding.objects.count()) == before
    assert verify_chain() == []


@needs_fork
def test_skip_invalid_in_workers_writes_every_other_row(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.create(project=project, name="list")
    result, errors = run_import(
        source, write_intake(tmp_path, 100, bad_rows=(5, 77)), workers=2, skip_invalid=True
    )
    assert (result.created, result.skipped_rows) == (98, [7, 79])
    assert len(errors) == 2 and Record.objects.filter(source=source).count() == 98


@needs_fork
def test_a_row_repeated_in_a_later_chunk_with_other_values_updates_the_record(
    project, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.create(project=project, name="list")
    path = write_intake(tmp_path, 60)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("R-3,Ana3,Zzyzx Otro,1953-04-13,2504-SYS,2018-04,amenazas\n")
    result, _ = run_import(source, path, workers=2)
    assert (result.created, result.updated) == (60, 1)
    record = record_for("R-3")
    assert open_identity(record).surnames == "Zzyzx Otro" and origin(record)["row"] == 62


@needs_fork
def test_a_rule_broken_in_a_worker_is_reported_with_its_row_and_nothing_is_written(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def refuse(new_records, values, item):  # type: ignore[no-untyped-def]
        # Each distinct combination of values is checked once: this row's port is its own.
        if item.row == 152:
            raise ValidationError("an encounter rule is broken", row=item.row, column="fecha")

    workers_run()
    monkeypatch.setattr(bulk_records, "_check_encounter", refuse)
    source = Source.objects.create(project=project, name="list")
    before = (Record.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as failure:
        run_import(source, write_intake(tmp_path, 200, odd_row=150), workers=2)
    assert (failure.value.row, failure.value.column) == (152, "fecha")
    assert (Record.objects.count(), AuditEvent.objects.count()) == before


@needs_fork
@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ("crash", r"an import worker failed \(KeyError\)"),
        ("database", r"an import worker failed \(RuntimeError\)"),
        ("exit", "an import worker stopped unexpectedly"),
    ],
)
def test_a_worker_that_fails_stops_the_import_and_nothing_is_written(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    workers_run()
    build = bulk_records.NewRecords.build
    parent = os.getpid()

    def failing_build(self, rows, ids, **options):  # type: ignore[no-untyped-def]
        if (
            os.getpid() != parent and rows[0][1].attributes.record_id == "R-80"
        ):  # in the worker of the third chunk
            if failure == "crash":
                raise KeyError("R-80")
            if failure == "database":  # a worker must not touch the importer's connection
                Record.objects.count()
            os._exit(3)
        return build(self, rows, ids, **options)

    monkeypatch.setattr(bulk_records.NewRecords, "build", failing_build)
    source = Source.objects.create(project=project, name="list")
    before = (Record.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RuntimeError, match=message) as raised:
        run_import(source, write_intake(tmp_path, 200), workers=2)
    assert "R-80" not in str(raised.value)
    assert (Record.objects.count(), AuditEvent.objects.count()) == before
