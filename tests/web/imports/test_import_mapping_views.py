"""The web import's mapping step and its edges: profiles downloaded and uploaded again, edited
and empty mappings, other sheets, existing sources, a missing master key, a second confirm, and
a Kobo export's repeat group through the mapping form.

Uses the simulator's legal-aid intake log with one name replaced by a canary, so the tests can
tell where identity values go (the preview, audited) and where they must never go (the draft's
stored bytes, the report, the mapping page).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User

from testimonio.errors import InputError
from testimonio.web.cases.models import Project, Record, Source
from testimonio.web.imports.actions import do_confirm_import, do_create_import_draft
from testimonio.web.imports.draft_files import check_draft, draft_profile
from testimonio.web.imports.models import ImportDraft
from tests.web.clients import signed_in
from tests.web.imports.uploads import (
    CANARY,
    ROWS_IN_LOG,
    database_counts,
    draft_url,
    mapping_as_posted,
    upload,
    uploaded_draft,
)

pytestmark = pytest.mark.django_db


def test_a_downloaded_profile_can_be_uploaded_again(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log)
    yaml_text = client.get(draft_url(project, draft, "mapping.yaml")).content
    assert b"fields:" in yaml_text and CANARY.encode() not in yaml_text
    edited = yaml_text.replace(b"date_order: MDY", b"date_order: DMY")
    assert edited != yaml_text
    saved = io.BytesIO(edited)
    saved.name = "profile.yaml"
    response = client.post(draft_url(project, draft, "mapping/"), {"profile": saved})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft_profile(draft).fields["birth_date"].date_order == "DMY"


def test_a_broken_profile_upload_says_why_and_keeps_the_mapping(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log)
    before = draft.profile
    saved = io.BytesIO(b"fields:\n  shoe_size: {column: talla}\n")
    saved.name = "profile.yaml"
    response = client.post(draft_url(project, draft, "mapping/"), {"profile": saved})
    assert "unknown field &#x27;shoe_size&#x27;" in response.content.decode()
    draft.refresh_from_db()
    assert draft.profile == before


def test_an_edited_mapping_is_kept_for_validation(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log)
    posted = mapping_as_posted(draft)
    posted["column_port"] = ""  # leave the port out
    posted["required"] = ["record_id"]
    client.post(draft_url(project, draft, "mapping/"), posted)
    draft.refresh_from_db()
    assert "port" not in draft_profile(draft).fields
    assert draft_profile(draft).required == ["record_id"]
    posted["required"] = ["phone"]
    posted["column_phone"] = ""
    refused = client.post(draft_url(project, draft, "mapping/"), posted).content.decode()
    assert "phone is required but mapped to no column" in refused


def test_an_empty_mapping_is_refused(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log)
    response = client.post(draft_url(project, draft, "mapping/"), {})
    assert "Map at least one column" in response.content.decode()


def test_choosing_another_sheet_proposes_its_mapping(
    project: Project, intake_officer: User, tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Notas"
    first.append(["nota"])
    first.append(["nada"])
    second = workbook.create_sheet("Registro")
    second.append(["numero", "garita"])
    second.append(["R-1", "2504-SYS"])
    data = io.BytesIO()
    workbook.save(data)
    client = signed_in(intake_officer)
    response = upload(client, project.slug, data.getvalue(), "libro.xlsx")
    draft = ImportDraft.objects.get()
    assert response.status_code == 302 and draft.sheet == "Notas"
    client.post(draft_url(project, draft), {"sheet": "Registro"})
    draft.refresh_from_db()
    assert draft.sheet == "Registro" and draft_profile(draft).fields["port"].column == "garita"


def test_a_file_goes_into_an_existing_source_when_one_is_chosen(
    project: Project, source: Source, intake_officer: User, intake_log: bytes
) -> None:
    client = signed_in(intake_officer)
    file = io.BytesIO(intake_log)
    file.name = "intake_log.csv"
    client.post(
        f"/p/{project.slug}/imports/",
        {"file": file, "source": source.name, "new_source_name": "", "kind": "other"},
    )
    draft = ImportDraft.objects.get()
    client.post(draft_url(project, draft, "mapping/"), mapping_as_posted(draft))
    client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert Record.objects.filter(source=source).count() == ROWS_IN_LOG
    assert list(Source.objects.values_list("name", flat=True)) == [source.name]
    listing = client.get(f"/p/{project.slug}/imports/").content.decode()
    assert f"<td>{source.name}</td><td>{ROWS_IN_LOG}</td>" in listing  # an earlier import


def test_an_upload_without_a_source_is_refused_before_it_is_read(
    project: Project, intake_officer: User, intake_log: bytes
) -> None:
    file = io.BytesIO(intake_log)
    file.name = "intake_log.csv"
    client = signed_in(intake_officer)  # logging in is itself an audit event
    before = database_counts()
    page = client.post(f"/p/{project.slug}/imports/", {"file": file, "source": "", "kind": "other"})
    assert "Choose a source or name a new one." in page.content.decode()
    assert database_counts() == before


def test_without_the_master_key_a_draft_page_says_so_instead_of_crashing(
    project: Project, intake_officer: User, intake_log: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimonio.web.keys.ring import forget_keys

    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, intake_log)
    monkeypatch.delenv("TESTIMONIO_MASTER_KEY")
    forget_keys()
    try:
        page = client.get(draft_url(project, draft)).content.decode()
    finally:
        monkeypatch.undo()
        forget_keys()
    assert "This upload cannot be read" in page and "No master key" in page
    assert CANARY not in page


def test_a_draft_cannot_be_imported_twice(project: Project, intake_log: bytes) -> None:
    draft = do_create_import_draft(
        project, intake_log, "a.csv", None, source_name="A", source_kind="other"
    )
    checked = check_draft(draft)
    do_confirm_import(draft, None, skip_invalid=True, checked=checked)
    before = database_counts()
    with pytest.raises(InputError, match="already confirmed or cancelled"):
        do_confirm_import(draft, None, skip_invalid=True, checked=checked)
    assert database_counts() == before


def test_a_kobo_export_keeps_its_repeat_group_through_the_mapping_form_and_imports(
    project: Project, intake_officer: User, world: Path
) -> None:
    client = signed_in(intake_officer)
    data = (world / "shelter_survey" / "kobo_export.xlsx").read_bytes()
    upload(client, project.slug, data, "kobo_export.xlsx")
    draft = ImportDraft.objects.get()
    repeat = draft_profile(draft).repeat
    assert repeat is not None and repeat.sheet == "intentos"
    page = client.get(draft_url(project, draft, "mapping/")).content.decode()
    assert "its mapping is kept as proposed" in page
    client.post(draft_url(project, draft, "mapping/"), mapping_as_posted(draft, choose=False))
    draft.refresh_from_db()
    assert draft_profile(draft).repeat == repeat
    client.post(draft_url(project, draft, "mapping/"), mapping_as_posted(draft))
    draft.refresh_from_db()
    chosen = draft_profile(draft).repeat
    assert chosen is not None and chosen.fields["tactics"].values != repeat.fields["tactics"].values
    result = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert "13 new, 0 updated, 0 unchanged, 0 left out" in result.content.decode()
