"""The identity policy: who may export identities in bulk (and how), who may reveal one, how many.

Named users as in the conftest: ``attorney`` and ``admin`` may export identities with a second
factor and a reason; ``intake_officer`` reveals one person at a time but exports pseudonyms
only; ``analyst`` decides review pairs on pseudonymous evidence.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.http import HttpResponse

from testimonio.errors import PermissionDenied
from testimonio.web.accounts.identity_policy import (
    OPERATOR,
    Requester,
    identity_export_refusal,
    reveals_in_last_hour,
)
from testimonio.web.accounts.models import AdminNotice, Membership
from testimonio.web.accounts.permissions import CAPABILITIES, may
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person, do_create_record
from testimonio.web.cases.actions.exports import IdentityRequest, do_export_project_bytes
from testimonio.web.cases.models import Person, Project, Record, Source
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.linking.models import LinkRun, MatchDecision, ReviewPair
from tests.web.clients import signed_in
from tests.web.conftest import member

pytestmark = pytest.mark.django_db
CANARY = "Canarito"


@pytest.fixture
def people(project: Project, source: Source) -> list[Person]:
    """Three people, one record each, every one named with the canary."""
    persons = [do_create_person(project, None) for _ in range(3)]
    for number, person in enumerate(persons):
        identity = IdentityFields(given_names=f"Ana {number}", surnames=CANARY)
        do_create_record(source, None, person=person, identity=identity)
    return persons


@pytest.fixture
def admin(project: Project) -> User:
    user = member(project, "admin", "admin")
    user.email = "admin@example.org"
    user.save()
    return user


def export_post(user: User, project: Project, **data: str) -> HttpResponse:
    fields = {"format": ".csv", **data}
    return signed_in(user).post(f"/p/{project.slug}/export/", fields)  # type: ignore[return-value]


def reveals() -> int:
    return AuditEvent.objects.filter(action="cases.identity.reveal").count()


# --- Bulk export --------------------------------------------------------------------------------


def test_an_intake_volunteer_gets_a_pseudonymous_export_even_asking_for_identities(
    project: Project, people: list[Person], intake_officer: User
) -> None:
    page = signed_in(intake_officer).get(f"/p/{project.slug}/export/")
    assert b"Add names" not in page.content
    response = export_post(intake_officer, project, identities="on", reason="curious")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('pseudonymous-export.csv"')
    assert CANARY.encode() not in response.content
    assert reveals() == 0 and not AdminNotice.objects.exists()


def test_an_attorney_must_state_a_reason(
    project: Project, people: list[Person], attorney: User
) -> None:
    response = export_post(attorney, project, identities="on", reason="  ")
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert b"State why the identities are needed" in response.content
    assert reveals() == 0


def test_an_attorney_exports_identities_with_a_reason_kept_in_the_audit_log(
    project: Project, people: list[Person], attorney: User
) -> None:
    response = export_post(attorney, project, identities="on", reason="filing of 3 May")
    assert response["Content-Disposition"].endswith('identities-export.csv"')
    assert CANARY.encode() in response.content
    assert reveals() == 3
    event = AuditEvent.objects.get(action="cases.export")
    assert event.details["reason"] == "filing of 3 May" and event.details["identities"] is True


def test_an_attorney_without_a_second_factor_in_this_session_is_refused_and_audited(
    project: Project, people: list[Person], attorney: User
) -> None:
    membership = Membership.objects.get(user=attorney, project=project)
    unverified = Requester(user=attorney, membership=membership, second_factor=False)
    with pytest.raises(PermissionDenied, match="second factor"):
        do_export_project_bytes(
            project, attorney, ".csv", identities=IdentityRequest(unverified, "x")
        )
    assert reveals() == 0
    refused = AuditEvent.objects.get(action="cases.export.refused")
    assert refused.actor_id == attorney.pk and refused.details["records"] == 3
    # The web sends such a session to the second factor before any page.
    client = signed_in(attorney, second_factor=False)
    response = client.post(f"/p/{project.slug}/export/", {"identities": "on", "reason": "x"})
    assert response.status_code == 302 and "/two-factor/" in response["Location"]


def test_an_export_over_the_cap_is_refused_on_the_web_with_the_way_to_do_it(
    project: Project, people: list[Person], attorney: User, settings: object
) -> None:
    settings.TESTIMONIO_IDENTITY_EXPORT_CAP = 2  # type: ignore[attr-defined]
    response = export_post(attorney, project, identities="on", reason="filing")
    assert response.status_code == 403 and CANARY.encode() not in response.content
    assert b"more than the 2 a web export may carry" in response.content
    assert b"testimonio export --with-identities" in response.content
    assert reveals() == 0
    assert AuditEvent.objects.filter(action="cases.export.refused").count() == 1


def test_the_operator_needs_a_reason_but_no_cap(settings: object) -> None:
    settings.TESTIMONIO_IDENTITY_EXPORT_CAP = 0  # type: ignore[attr-defined]
    assert identity_export_refusal(OPERATOR, 10_000, "") is not None
    assert identity_export_refusal(OPERATOR, 10_000, "court order 17") is None


def test_the_project_admins_are_told_of_every_export_with_identities(
    project: Project,
    people: list[Person],
    attorney: User,
    admin: User,
    settings: object,
    django_capture_on_commit_callbacks: object,
) -> None:
    settings.TESTIMONIO_EMAIL_NOTICES = True  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = export_post(attorney, project, identities="on", reason="meeting with counsel")
    assert response.status_code == 200
    notice = AdminNotice.objects.get(project=project)
    assert notice.actor_label == "attorney" and notice.details["records"] == 3
    assert AuditEvent.objects.filter(action="accounts.notice.create").count() == 1
    members_page = signed_in(admin).get(f"/p/{project.slug}/members/").content
    assert b"meeting with counsel" in members_page and b"Exports with identities" in members_page
    assert b"meeting with counsel" in signed_in(admin).get(f"/p/{project.slug}/").content
    assert b"meeting with counsel" not in signed_in(attorney).get(f"/p/{project.slug}/").content
    [message] = mail.outbox
    assert message.to == ["admin@example.org"] and "3 records" in message.body
    assert "meeting with counsel" not in message.body and CANARY not in message.body


# --- One identity at a time -------------------------------------------------------------------


def reveal_page(user: User, project: Project, person: Person) -> bytes:
    return signed_in(user).post(f"/p/{project.slug}/people/{person.pseudonym}/").content


def test_reveals_beyond_the_hourly_limit_are_refused_with_a_message_and_audited(
    project: Project, people: list[Person], intake_officer: User, settings: object
) -> None:
    settings.TESTIMONIO_REVEALS_PER_HOUR = 2  # type: ignore[attr-defined]
    assert CANARY.encode() in reveal_page(intake_officer, project, people[0])
    assert CANARY.encode() in reveal_page(intake_officer, project, people[1])
    refused = reveal_page(intake_officer, project, people[2])
    assert CANARY.encode() not in refused
    assert b"the limit is 2 an hour" in refused
    assert reveals() == 2
    event = AuditEvent.objects.get(action="cases.identity.reveal_refused")
    assert event.actor_id == intake_officer.pk
    assert event.details == {"limit": 2, "revealed": 2, "asked": 1, "reason": "person page"}


def test_the_hourly_limit_is_per_member_and_not_spent_by_exports(
    project: Project, people: list[Person], intake_officer: User, attorney: User, settings: object
) -> None:
    settings.TESTIMONIO_REVEALS_PER_HOUR = 1  # type: ignore[attr-defined]
    export_post(attorney, project, identities="on", reason="filing")
    assert reveals_in_last_hour(attorney, project) == 0  # three export reveals, not counted
    assert CANARY.encode() in reveal_page(attorney, project, people[0])
    assert CANARY.encode() in reveal_page(intake_officer, project, people[0])
    assert CANARY.encode() not in reveal_page(attorney, project, people[1])


# --- Capabilities ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "exports", "decides"),
    [
        ("admin", True, True),
        ("attorney", True, True),
        ("intake", False, False),
        ("analyst", False, True),
        ("viewer", False, False),
    ],
)
def test_the_capabilities_say_who_exports_identities_and_who_decides_links(
    project: Project, role: str, exports: bool, decides: bool
) -> None:
    membership = Membership(project=project, role=role)
    assert may(membership, "export_identities") is exports
    assert may(membership, "decide_links") is decides
    assert "decide_links" in CAPABILITIES


@pytest.fixture
def pair(project: Project, people: list[Person]) -> ReviewPair:
    first, second = (Record.objects.get(person=person) for person in people[:2])
    run = LinkRun.objects.create(project=project, input_hash="0" * 64, threshold=0.9)
    return ReviewPair.objects.create(
        link_run=run, record_a=first, record_b=second, match_probability=0.7
    )


def test_a_review_pair_over_the_hourly_limit_shows_no_names_and_says_why(
    project: Project, pair: ReviewPair, attorney: User, settings: object
) -> None:
    settings.TESTIMONIO_REVEALS_PER_HOUR = 1  # type: ignore[attr-defined]
    body = signed_in(attorney).get(f"/p/{project.slug}/linkage/review/{pair.pk}/").content
    assert CANARY.encode() not in body and b"the limit is 1 an hour" in body
    assert reveals() == 0
    assert AuditEvent.objects.filter(action="cases.identity.reveal_refused").count() == 1


def test_deciding_a_pair_needs_the_decide_links_capability(
    project: Project, pair: ReviewPair, analyst: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/p/{project.slug}/linkage/review/{pair.pk}/"
    without = {**CAPABILITIES, "decide_links": frozenset({"admin", "attorney"})}
    monkeypatch.setattr("testimonio.web.accounts.permissions.CAPABILITIES", without)
    signed_in(analyst).post(url, {"decision": "same"})
    assert not MatchDecision.objects.exists()
    monkeypatch.undo()
    response = signed_in(analyst).post(url, {"decision": "same"})
    assert response.status_code == 302 and MatchDecision.objects.count() == 1
