"""Exports: pseudonymous by default, identities only when asked (and each reveal audited), and
never a cell a spreadsheet would execute."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse

from testimonio.web.accounts.identity_policy import OPERATOR
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_code_encounter, do_create_record, do_record_encounter
from testimonio.web.cases.actions.exports import (
    EXPORT_COLUMNS,
    IdentityRequest,
    do_export_project,
)
from testimonio.web.cases.models import Person, Project, Source
from testimonio.web.keys.identity import IdentityFields
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://x.invalid","Ana")'


@pytest.fixture
def cases(project: Project, source: Source, person: Person) -> Person:
    """Two records: one with a formula typed as a name and two coded encounters, one bare."""
    record = do_create_record(
        source,
        None,
        person=person,
        identity=IdentityFields(given_names=FORMULA_NAME, surnames="Canarito", phone="+5215550001"),
        attributes={"sex": "female", "nationality": "HN"},
        provenance=("Declaración de Ana Canarito.docx", "", 7),
    )
    first = do_record_encounter(
        person, None, date="2018-06", port="2504-SYS", outcome="OUT.TURNED_BACK", record=record
    )
    do_code_encounter(first, "TAC.DENY.CAPACITY", None)
    do_code_encounter(first, "TAC.MISINFO.NO_ASYLUM", None)
    do_record_encounter(person, None, date="2018-07-02", attempt_number=2, record=record)
    do_create_record(source, None, identity=IdentityFields(surnames="Otro"))
    return person


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_default_export_is_pseudonymous_one_row_per_encounter(
    project: Project, cases: Person, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    result = do_export_project(project, None, path)
    text = path.read_text(encoding="utf-8-sig")
    assert "Canarito" not in text and "HYPERLINK" not in text and "5550001" not in text
    assert "Declaración" not in text  # file names often name the declarant
    rows = read_csv(path)
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert (result.rows, result.records, result.identities) == (3, 2, False)
    mine = [row for row in rows if row["person"] == cases.pseudonym]
    assert [row["encounter_date"] for row in mine] == ["2018-06", "2018-07-02"]
    assert [row["date_precision"] for row in mine] == ["month", "day"]
    assert mine[0]["tactics"] == "TAC.DENY.CAPACITY TAC.MISINFO.NO_ASYLUM"
    assert mine[0]["port"] == "2504-SYS" and mine[0]["nationality"] == "HN"
    assert mine[1]["attempt_number"] == "2" and not {"sheet", "row", "file"} & set(rows[0])
    other = [row for row in rows if row["person"] != cases.pseudonym]
    assert len(other) == 1 and other[0]["encounter"] == ""
    event = AuditEvent.objects.get(action="cases.export")
    assert event.details == {"format": "csv", "rows": 3, "records": 2, "identities": False}
    assert not AuditEvent.objects.filter(action="cases.identity.reveal").exists()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_identities_are_added_only_when_asked_and_never_as_a_formula(
    project: Project, cases: Person, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"export{suffix}"
    do_export_project(project, None, path, identities=IdentityRequest(OPERATOR, "court filing"))
    if suffix == ".csv":
        rows = read_csv(path)
    else:
        sheet = openpyxl.load_workbook(path).active
        assert sheet is not None
        values = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
        # openpyxl reads a cell that holds a formula back as its "=..." text with data_type "f".
        assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    mine = [row for row in rows if row["person"] == cases.pseudonym]
    assert mine[0]["given_names"] == "'" + FORMULA_NAME
    assert mine[0]["surnames"] == "Canarito"
    assert str(mine[0]["row"]) == "7" and mine[0]["file"] == "Declaración de Ana Canarito.docx"
    assert mine[0]["phone"] == "'+5215550001"  # "+" starts a formula too
    reveals = AuditEvent.objects.filter(action="cases.identity.reveal")
    assert reveals.count() == 2
    assert {event.details["reason"] for event in reveals} == {"export"}
    assert AuditEvent.objects.get(action="cases.export").details["identities"] is True


def post_export(user: User, project: Project, **data: str) -> HttpResponse:
    return signed_in(user).post(f"/p/{project.slug}/export/", data)  # type: ignore[return-value]


def test_the_export_page_gives_an_analyst_pseudonyms_even_if_identities_are_asked_for(
    project: Project, cases: Person, analyst: User
) -> None:
    page = signed_in(analyst).get(f"/p/{project.slug}/export/")
    assert page.status_code == 200 and b"identities" not in page.content
    response = post_export(analyst, project, format=".csv", identities="on")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('pseudonymous-export.csv"')
    assert b"Canarito" not in response.content
    assert response.content.decode("utf-8-sig").count(cases.pseudonym) == 2
    assert not AuditEvent.objects.filter(action="cases.identity.reveal").exists()
    assert AuditEvent.objects.get(action="cases.export").actor_id == analyst.pk


def test_an_attorney_may_download_identities_as_xlsx_and_each_reveal_is_audited(
    project: Project, cases: Person, attorney: User
) -> None:
    response = post_export(
        attorney, project, format=".xlsx", identities="on", reason="declaration for filing"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.active is not None
    values = [row for row in workbook.active.iter_rows(values_only=True)]
    assert "Canarito" in {row[values[0].index("surnames")] for row in values[1:]}
    assert (
        AuditEvent.objects.filter(action="cases.identity.reveal", actor_id=attorney.pk).count() == 2
    )
