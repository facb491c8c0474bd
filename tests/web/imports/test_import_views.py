"""The web import, as an intake officer works it: upload, preview, mapping, validation, confirm.

Uses the simulator's legal-aid intake log with one name replaced by a canary, so the tests can
tell where identity values go (the preview, audited) and where they must never go (the draft's
stored bytes, the report, the mapping page).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from testimonio.errors import InputError
from testimonio.ingest.readers import read_bytes
from testimonio.web.audit.log import verify_chain
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_project
from testimonio.web.cases.models import Project, Record
from testimonio.web.imports.actions import do_create_import_draft
from testimonio.web.imports.draft_files import open_upload
from testimonio.web.imports.models import ImportDraft
from testimonio.web.keys.models import DataKey
from tests.bad_uploads import bad_uploads
from tests.ingest.test_odk_zip import bad_zips
from tests.web.clients import signed_in
from tests.web.conftest import make_user, member
from tests.web.imports.records import recorded
from tests.web.imports.uploads import (
    BAD_ROW_DATE,
    CANARY,
    ROWS_IN_LOG,
    database_counts,
    draft_url,
    mapping_as_posted,
    upload,
    uploaded_draft,
    with_bad_row,
)

pytestmark = pytest.mark.django_db


def test_an_intake_officer_imports_a_file_step_by_step(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log, review=False)

    preview = client.get(draft_url(project, draft)).content.decode()
    assert "csv, utf-8, delimiter comma (,)" in preview
    assert f'<td class="row-count">{ROWS_IN_LOG}</td>' in preview
    assert CANARY in preview  # shown to a role that may see identities...
    reveal = AuditEvent.objects.filter(action="cases.import_draft.preview").get()
    assert (reveal.actor_id, reveal.details["rows_shown"]) == (intake_officer.pk, ROWS_IN_LOG)

    mapping = client.get(draft_url(project, draft, "mapping/")).content.decode()
    assert "not mapped; candidates:" in mapping and CANARY not in mapping
    assert 'name="unknown_0"' in mapping and "leave unmapped" in mapping
    posted = client.post(draft_url(project, draft, "mapping/"), mapping_as_posted(draft))
    assert posted["Location"] == draft_url(project, draft, "validation/")

    validation = client.get(draft_url(project, draft, "validation/")).content.decode()
    assert f'<div class="count valid-count">{ROWS_IN_LOG}</div>' in validation
    result = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert f"{ROWS_IN_LOG} new, 0 updated, 0 unchanged, 0 left out" in result.content.decode()
    assert Record.objects.filter(source__name="Legal aid").count() == ROWS_IN_LOG
    assert verify_chain() == []
    steps = AuditEvent.objects.filter(action__startswith="cases.import_draft.")
    assert [event.action.rsplit(".", 1)[1] for event in steps.order_by("sequence")] == [
        "create",
        "preview",
        "mapping",
        "confirm",
    ]


def test_confirming_deletes_the_draft_and_its_data_key(
    project: Project, attorney: User, intake_log: bytes
) -> None:
    client = signed_in(attorney)
    draft = uploaded_draft(client, project, intake_log)
    assert DataKey.objects.filter(owner=draft.uuid).exists()
    client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert not ImportDraft.objects.exists()
    assert not DataKey.objects.filter(owner=draft.uuid).exists()
    assert client.get(draft_url(project, draft)).status_code == 404


def test_importing_the_same_file_again_changes_nothing(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    for _ in range(2):
        draft = uploaded_draft(client, project, intake_log)
        result = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert f"0 new, 0 updated, {ROWS_IN_LOG} unchanged" in result.content.decode()
    assert Record.objects.count() == ROWS_IN_LOG


def test_the_upload_is_sealed_at_rest_and_never_in_the_session(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed_file, sealed_name, profile FROM cases_importdraft")
        stored = b"".join(
            bytes(cell) if not isinstance(cell, str) else cell.encode()
            for cell in cursor.fetchone()
        )
    assert CANARY.encode() not in stored and b"intake_log" not in stored
    assert CANARY not in str(dict(client.session.items()))
    assert open_upload(draft) == (intake_log, "intake_log.csv")  # and it opens with its key


@pytest.mark.parametrize("role", ["analyst", "viewer", "outsider"])
def test_roles_that_may_not_import_get_404(
    project: Project, attorney: User, intake_log: bytes, role: str
) -> None:
    draft = uploaded_draft(signed_in(attorney), project, intake_log)
    user = member(project, role, role) if role != "outsider" else make_user(role)
    client = signed_in(user)
    for url in (f"/p/{project.slug}/imports/", draft_url(project, draft)):
        assert client.get(url).status_code == 404, url
    assert upload(client, project.slug, intake_log).status_code == 404
    assert ImportDraft.objects.count() == 1


def test_the_project_page_links_imports_only_for_roles_that_may_import(
    project: Project, intake_officer: User, analyst: User
) -> None:
    link = f'href="/p/{project.slug}/imports/"'
    assert link in signed_in(intake_officer).get(f"/p/{project.slug}/").content.decode()
    assert link not in signed_in(analyst).get(f"/p/{project.slug}/").content.decode()


def test_a_draft_of_another_project_is_not_found_under_ours(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    theirs = do_create_project("Theirs", project.vocabulary, None, slug="theirs")
    draft = do_create_import_draft(
        theirs, intake_log, "x.csv", None, source_name="Their list", source_kind="other"
    )
    client = signed_in(intake_officer)
    assert client.get(f"/p/{project.slug}/imports/{draft.uuid}/").status_code == 404


def bad_files() -> dict[str, bytes]:
    """The readers' bad files, and ZIPs that pretend to be an ODK Central export."""
    return {**bad_uploads("id,nombre\nA-1,Canarito Pájaro\n"), **bad_zips()}


@pytest.mark.parametrize("name", sorted(bad_files()))
def test_a_bad_file_shows_the_readers_message_and_writes_nothing(
    project: Project, intake_officer: User, name: str
) -> None:
    data = bad_files()[name]
    with pytest.raises(InputError) as refused:
        read_bytes(data, name)
    client = signed_in(intake_officer)
    before = database_counts()
    page = upload(client, project.slug, data, name)
    assert page.status_code == 200
    assert str(refused.value).replace("'", "&#x27;") in page.content.decode()
    assert database_counts() == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    project: Project, intake_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TESTIMONIO_MAX_UPLOAD_MB", "1")
    client = signed_in(intake_officer)
    before = database_counts()
    page = upload(client, project.slug, b"id,name\n" + b"A-1,Ana\n" * 200_000)
    assert "The file is larger than 1 MB." in page.content.decode()
    assert database_counts() == before


def test_a_refused_import_writes_nothing_and_keeps_the_draft(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, with_bad_row(intake_log))
    validation = client.get(draft_url(project, draft, "validation/")).content.decode()
    assert '<div class="count failed-count">1</div>' in validation
    assert f"<td>{ROWS_IN_LOG + 2}</td><td>dob</td>" in validation
    assert BAD_ROW_DATE not in validation  # the value found is never repeated
    before = database_counts()
    refused = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert "1 row(s) failed validation, so nothing was imported" in refused.content.decode()
    assert database_counts() == before


def test_skip_invalid_imports_the_valid_rows(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, with_bad_row(intake_log))
    result = client.post(
        draft_url(project, draft, "validation/"), {"action": "import", "skip_invalid": "on"}
    )
    assert f"{ROWS_IN_LOG} new, 0 updated, 0 unchanged, 1 left out" in result.content.decode()
    assert not recorded("LA-BAD-1")


def test_the_import_event_counts_the_rows_left_out_as_the_page_does(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, with_bad_row(with_bad_row(intake_log)))
    result = client.post(
        draft_url(project, draft, "validation/"), {"action": "import", "skip_invalid": "on"}
    )
    assert f"{ROWS_IN_LOG} new, 0 updated, 0 unchanged, 2 left out" in result.content.decode()
    assert AuditEvent.objects.get(action="cases.import").details["skipped"] == 2


def test_the_full_report_downloads_as_xlsx_without_values(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, with_bad_row(intake_log))
    response = client.get(draft_url(project, draft, "report.xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("file", "sheet", "row", "column", "field", "problem")
    assert rows[1][2:5] == (ROWS_IN_LOG + 2, "dob", "birth_date")
    assert BAD_ROW_DATE not in str(rows) and CANARY not in str(rows)


def test_cancelling_deletes_the_draft_and_its_key_and_imports_nothing(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log)
    response = client.post(draft_url(project, draft, "validation/"), {"action": "cancel"})
    assert response["Location"] == f"/p/{project.slug}/imports/"
    assert not ImportDraft.objects.exists() and not DataKey.objects.filter(owner=draft.uuid)
    assert Record.objects.count() == 0
    assert AuditEvent.objects.filter(action="cases.import_draft.cancel").count() == 1


def test_expired_drafts_are_purged_when_the_imports_page_opens(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log)
    ImportDraft.objects.update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get(draft_url(project, draft)).status_code == 404  # expired: gone already
    assert client.get(f"/p/{project.slug}/imports/").status_code == 200
    assert not ImportDraft.objects.exists() and not DataKey.objects.filter(owner=draft.uuid)
    assert AuditEvent.objects.filter(action="cases.import_draft.expire").count() == 1


def test_the_management_command_purges_expired_drafts_only(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    old = uploaded_draft(client, project, intake_log)
    ImportDraft.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    kept = do_create_import_draft(
        project, intake_log, "b.csv", None, source_name="B", source_kind="other"
    )
    out = io.StringIO()
    call_command("purge_import_drafts", stdout=out)
    assert "Purged 1 expired import draft(s)." in out.getvalue()
    assert list(ImportDraft.objects.values_list("uuid", flat=True)) == [kept.uuid]


def test_a_file_with_no_recognised_column_is_refused_at_confirm_and_writes_nothing(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, b"Shoe size,Colour\n42,red\n43,blue\n", review=False)
    before = database_counts()
    refused = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert "no column of the file was recognised" in refused.content.decode()
    assert database_counts() == before
    assert ImportDraft.objects.filter(pk=draft.pk).exists()
