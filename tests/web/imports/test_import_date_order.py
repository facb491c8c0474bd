"""On the web, a date column whose every date reads both ways needs a chosen order."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from testimonio.web.cases.models import Project, Record
from testimonio.web.imports.draft_files import draft_profile
from tests.cli.test_import_date_order import AMBIGUOUS
from tests.web.clients import signed_in
from tests.web.imports.uploads import draft_url, mapping_as_posted, uploaded_draft

pytestmark = pytest.mark.django_db


def test_the_mapping_review_requires_an_order_for_an_ambiguous_column(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, AMBIGUOUS.encode(), review=False)
    page = client.get(draft_url(project, draft, "mapping/")).content.decode()
    assert 'class="notice ambiguous-dates"' in page and "“encounter_date”" in page
    refused = client.post(draft_url(project, draft, "mapping/"), mapping_as_posted(draft))
    assert refused.status_code == 200 and "choose its order" in refused.content.decode()
    chosen = {**mapping_as_posted(draft), "date_order_encounter_date": "MDY"}
    assert client.post(draft_url(project, draft, "mapping/"), chosen).status_code == 302
    draft.refresh_from_db()
    assert draft_profile(draft).fields["encounter_date"].date_order == "MDY"


def test_confirming_with_the_order_still_open_is_refused_naming_the_column(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    draft = uploaded_draft(client, project, AMBIGUOUS.encode(), review=False)
    refused = client.post(draft_url(project, draft, "validation/"), {"action": "import"})
    assert "encounter_date" in refused.content.decode()
    assert "read as real dates both day first and month first" in refused.content.decode()
    assert not Record.objects.exists()


def test_the_validation_page_names_row_and_column_of_contradictory_dates(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    log = (
        "record_id,first_name,intake_date,date_of_last_attempt\n"
        "R-1,Ana,2019-03-10,2019-03-01\n"
        "R-2,Luis,2019-03-10,2019-03-12\n"
    )
    draft = uploaded_draft(client, project, log.encode())
    page = client.get(draft_url(project, draft, "validation/")).content.decode()
    assert "<td>3</td><td>date_of_last_attempt</td>" in page
    assert "after the interview (intake) date" in page
