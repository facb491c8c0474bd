"""The web import's confirm step says what an import would update and needs a tick for it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project, Record
from testimonio.web.imports.models import ImportDraft
from tests.cli.test_import_updates import FIRST, SECOND
from tests.web.clients import signed_in
from tests.web.imports.uploads import draft_url, uploaded_draft

pytestmark = pytest.mark.django_db


def imported_first(client, project: Project) -> None:  # type: ignore[no-untyped-def]
    draft = uploaded_draft(client, project, FIRST.encode())
    client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert Record.objects.count() == 3 and not ImportDraft.objects.exists()


def test_the_confirm_step_shows_what_would_change_by_field_never_values(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    imported_first(client, project)
    draft = uploaded_draft(client, project, SECOND.encode())
    page = client.get(draft_url(project, draft, "validation/")).content.decode()
    assert "1 new, 2 updated, 1 unchanged" in page
    assert "<li>sex: 2</li>" in page and "<li>given_names: 1</li>" in page
    assert "Update 2 existing records" in page
    assert "Anabel" not in page


def test_an_update_without_the_tick_writes_nothing_and_keeps_the_draft(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    imported_first(client, project)
    draft = uploaded_draft(client, project, SECOND.encode())
    events = AuditEvent.objects.count()
    refused = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert "tick the box to update them" in refused.content.decode()
    assert Record.objects.count() == 3 and AuditEvent.objects.count() == events
    assert ImportDraft.objects.filter(pk=draft.pk).exists()


def test_an_update_with_the_tick_imports_and_audits_the_fields_changed(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    imported_first(client, project)
    draft = uploaded_draft(client, project, SECOND.encode())
    result = client.post(
        draft_url(project, draft, "validation/"), {"action": "import", "allow_updates": "on"}
    )
    assert "1 new, 2 updated, 1 unchanged" in result.content.decode()
    assert Record.objects.count() == 4
    event = AuditEvent.objects.filter(action="cases.import").latest("sequence")
    assert event.details["fields_changed"] == {"sex": 2, "given_names": 1}


def test_the_confirm_action_refuses_updates_it_was_not_allowed(
    project: Project, intake_officer: User
) -> None:
    """Even past the form (another import landed between the page and the click)."""
    from testimonio.web.imports.actions import do_confirm_import
    from testimonio.web.imports.changes import UpdatesNotAllowed

    client = signed_in(intake_officer)
    imported_first(client, project)
    draft = uploaded_draft(client, project, SECOND.encode())
    with pytest.raises(UpdatesNotAllowed, match="would update 2 existing record"):
        do_confirm_import(draft, intake_officer, skip_invalid=False)
    assert Record.objects.count() == 3
