"""The web import takes ODK Central's ZIP download as one upload: the form with its repeats."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User

from testimonio.web.cases.models import Encounter, Project, Record
from testimonio.web.imports.draft_files import draft_profile
from testimonio.web.imports.models import ImportDraft
from tests.ingest.test_odk_zip import ATTEMPTS_PER_RECORD, PROFILE_YAML, odk_export
from tests.web.clients import signed_in
from tests.web.imports.records import origin
from tests.web.imports.uploads import (
    draft_url,
    mapping_as_posted,
    upload,
)

pytestmark = pytest.mark.django_db


def test_an_odk_zip_is_previewed_mapped_and_imported_with_its_encounters(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    response = upload(client, project.slug, odk_export(), "export.zip")
    draft = ImportDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == draft_url(project, draft)
    preview = client.get(draft_url(project, draft)).content.decode()
    assert "odk, utf-8" in preview and "media/ folder" in preview
    repeat = draft_profile(draft).repeat
    assert repeat is not None and repeat.sheet == "turnbacks-intentos"

    saved = io.BytesIO(PROFILE_YAML.encode())  # the profile written for the CSVs on disk
    saved.name = "odk.yaml"
    assert client.post(draft_url(project, draft, "mapping/"), {"profile": saved}).status_code == 302
    result = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert "3 new, 0 updated, 0 unchanged, 0 left out" in result.content.decode()
    told = {
        origin(record)["key"]: Encounter.objects.filter(record=record).count()
        for record in Record.objects.all()
    }
    assert told == ATTEMPTS_PER_RECORD


def test_the_proposed_mapping_keeps_the_repeat_through_the_form(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    upload(client, project.slug, odk_export(), "export.zip")
    draft = ImportDraft.objects.get()
    repeat = draft_profile(draft).repeat
    client.post(draft_url(project, draft, "mapping/"), mapping_as_posted(draft))
    draft.refresh_from_db()
    assert draft_profile(draft).repeat == repeat
    result = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert "3 new, 0 updated, 0 unchanged, 0 left out" in result.content.decode()
    assert Encounter.objects.count() == sum(ATTEMPTS_PER_RECORD.values())
