"""An attacker with the database and an organisation's original list cannot match its rows to
pseudonyms: not by hashing the rows, not by the list's ids, file name or row numbers, and not
through the pseudonymous export. An erased person cannot be matched even with the key."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from testimonio.ingest.readers import read_path
from testimonio.ingest.row_identity import row_digest
from testimonio.simulation import SimulationConfig, generate_world, reviewed_mapping
from testimonio.web.cases.actions import do_erase_person
from testimonio.web.cases.actions.exports import do_export_project_bytes
from testimonio.web.cases.models import Person, Project, Record
from testimonio.web.cases.vocabulary_bundle import bundle_of
from testimonio.web.imports.actions import do_import_file
from testimonio.web.keys.identity import open_identity
from testimonio.web.keys.ring import row_hasher

pytestmark = pytest.mark.django_db

FILE = "intake_log.csv"
ID_COLUMN = "intake_id"


@pytest.fixture(scope="module")
def original_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The organisation's own list: the simulator's intake log, as the attacker holds it."""
    folder = tmp_path_factory.mktemp("world")
    generate_world(SimulationConfig(people=40, sources=4, seed=11), folder)
    return folder / "legal_aid" / FILE


@pytest.fixture
def imported(project: Project, original_list: Path) -> Project:
    table = read_path(original_list).table()
    bundle = bundle_of(project.vocabulary)
    profile = reviewed_mapping(table, bundle, "legal_aid")  # its wordings mapped, as a team would
    assert (
        profile.fields["record_id"].column == ID_COLUMN
    )  # so the list's ids are what a re-import matches on
    result, errors = do_import_file(
        project, "legal_aid", "intake_log", table, profile, bundle, None
    )
    assert errors == [] and result.created == len(table.rows) > 5
    return project


def stored_records() -> list[dict[str, Any]]:
    """Every column of every record and its person's pseudonym, read as raw SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.*, p.pseudonym FROM cases_record r JOIN cases_person p ON p.id = r.person_id"
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def list_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def attacks(path: Path, records: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Pseudonyms each way of matching the list against the stored records finds."""
    header, rows = list_rows(path)
    ids = {row[header.index(ID_COLUMN)] for row in rows}
    digests = {row_digest(source, "", row) for row in rows for source in ("legal_aid", "")}
    row_numbers = set(range(2, len(rows) + 2))
    found: dict[str, set[str]] = {"row hash": set(), "id": set(), "file": set(), "row": set()}
    for record in records:
        cells = {name: value for name, value in record.items() if name != "pseudonym"}
        texts = {str(value) for value in cells.values() if value is not None}
        if texts & digests:
            found["row hash"].add(record["pseudonym"])
        if texts & ids:
            found["id"].add(record["pseudonym"])
        if any(FILE in text for text in texts):
            found["file"].add(record["pseudonym"])
        if {"row_number", "sheet"} & cells.keys() and cells.get("row_number") in row_numbers:
            found["row"].add(record["pseudonym"])
    return found


def test_the_database_and_the_original_list_match_no_row_to_a_pseudonym(
    imported: Project, original_list: Path
) -> None:
    records = stored_records()
    assert len(records) == len(list_rows(original_list)[1])
    assert attacks(original_list, records) == {
        "row hash": set(),
        "id": set(),
        "file": set(),
        "row": set(),
    }
    columns = set(records[0])
    assert not {"file_name", "sheet", "row_number"} & columns
    with connection.cursor() as cursor:  # nor do the import's audit events name rows
        cursor.execute("SELECT details FROM audit_auditevent")
        details = [v if isinstance(v, str) else json.dumps(v) for (v,) in cursor.fetchall()]
    assert details and not [text for text in details if '"row"' in text or FILE in text]


def test_the_pseudonymous_export_carries_no_id_file_name_or_row_number(
    imported: Project, original_list: Path
) -> None:
    _, data = do_export_project_bytes(imported, None, ".csv")
    exported = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, ids = exported[0], {row[0] for row in list_rows(original_list)[1]}
    assert not {"sheet", "row", "file", "external_id"} & set(header)
    cells = {cell for row in exported[1:] for cell in row}
    assert not cells & ids and not any(FILE in cell for cell in cells)


def test_with_the_key_a_row_is_found_again_but_an_erased_persons_row_is_not(
    imported: Project, original_list: Path
) -> None:
    header, rows = list_rows(original_list)
    record = Record.objects.filter(project=imported).order_by("pk").first()
    assert record is not None and record.person is not None
    origin = open_identity(record).origin()
    assert (origin["file"], origin["row"]) == (FILE, 2)
    hasher, source_id = row_hasher(), record.source_id
    index = {hasher.record_index(source_id, row[header.index(ID_COLUMN)]) for row in rows}
    hashes = {hasher.row_hash(row_digest("legal_aid", "", row)) for row in rows}
    assert record.external_id in index and record.raw_hash in hashes  # the key does match
    erased = Person.objects.get(pk=record.person_id)
    do_erase_person(erased, None, reason="asked to be forgotten")
    for stored in stored_records():
        matched = stored["external_id"] in index or stored["raw_hash"] in hashes
        assert matched == (stored["pseudonym"] != erased.pseudonym), stored["pseudonym"]
