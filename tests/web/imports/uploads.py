"""Helpers of the web import's tests: the canary intake log, posting an upload, a draft's URLs
and its mapping form as the page posts it, and the counts a refused import must leave alone."""

from __future__ import annotations

import io

from django.test import Client

from testimonio.ingest import unknown_values
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Person, Project, Record
from testimonio.web.cases.vocabulary_bundle import bundle_of
from testimonio.web.imports.draft_files import draft_profile, read_draft
from testimonio.web.imports.forms import LEAVE_UNMAPPED
from testimonio.web.imports.models import ImportDraft
from testimonio.web.keys.models import DataKey

CANARY = "Canarito"
ROWS_IN_LOG = 11  # the simulated intake log's rows (seed 11, 40 people)
BAD_ROW_DATE = "02/31/1990"  # an impossible birth date


def with_bad_row(data: bytes) -> bytes:
    lines = data.decode().splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    row[header.index("intake_id")] = "LA-BAD-1"
    row[header.index("dob")] = BAD_ROW_DATE
    return data + (",".join(row) + "\n").encode()


def upload(client: Client, slug: str, data: bytes, name: str = "intake_log.csv"):  # type: ignore[no-untyped-def]
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        f"/p/{slug}/imports/",
        {"file": file, "source": "", "new_source_name": "Legal aid", "kind": "intake_log"},
    )


def draft_url(project: Project, draft: ImportDraft, step: str = "") -> str:
    return f"/p/{project.slug}/imports/{draft.uuid}/{step}"


def mapping_as_posted(draft: ImportDraft, *, choose: bool = True) -> dict[str, object]:
    """The mapping form's fields as the page would post them, unchanged but for the wordings
    to map: a reviewer takes the first candidate (or leaves it unmapped), unless not ``choose``."""
    profile = draft_profile(draft)
    data: dict[str, object] = {"required": profile.required}
    table = read_draft(draft).table(draft.sheet or None)
    unknown = unknown_values(table, profile, bundle_of(draft.project.vocabulary))
    for number, value in enumerate(unknown if choose else []):
        data[f"unknown_{number}"] = value.candidates[0] if value.candidates else LEAVE_UNMAPPED
    for name, mapping in profile.fields.items():
        data[f"column_{name}"] = mapping.column
        if mapping.date_order:
            data[f"date_order_{name}"] = mapping.date_order
        if mapping.separator:
            data[f"separator_{name}"] = mapping.separator
        data[f"values_{name}"] = "\n".join(f"{k} = {v}" for k, v in mapping.values.items())
    return data


def uploaded_draft(
    client: Client, project: Project, data: bytes, *, review: bool = True
) -> ImportDraft:
    """An uploaded draft; with ``review``, its mapping reviewed (:func:`mapping_as_posted`)."""
    response = upload(client, project.slug, data)
    draft = ImportDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == draft_url(project, draft)
    if review:
        posted = client.post(draft_url(project, draft, "mapping/"), mapping_as_posted(draft))
        assert posted.status_code == 302, posted.content.decode()[-3000:]
        draft.refresh_from_db()
    return draft


def database_counts() -> dict[str, int]:
    return {
        "records": Record.objects.count(),
        "persons": Person.objects.count(),
        "drafts": ImportDraft.objects.count(),
        "keys": DataKey.objects.count(),
        "audit": AuditEvent.objects.count(),
    }
