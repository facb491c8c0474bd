"""The members page: the admin invites a new member, changes roles and removes members."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from testimonio.web.accounts.models import Invitation, Membership
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db

INVITE = {"action": "invite", "username": "maria", "email": "maria@example.org", "role": "intake"}


def shown(page: str, what: str) -> str:
    found = re.search(rf'<dd id="invited-{what}"><code>([^<]+)</code>', page)
    assert found is not None, what
    return found.group(1)


def test_an_invitation_makes_the_account_its_role_and_a_code_shown_once(
    project: Project, admin: User
) -> None:
    client = signed_in(admin)
    page = client.post(f"/p/{project.slug}/members/", INVITE).content.decode()
    maria = User.objects.get(username="maria")
    assert maria.email == "maria@example.org"
    assert Membership.objects.get(user=maria, project=project).role == "intake"
    assert Invitation.objects.filter(user=maria, used_at__isnull=True).count() == 1
    assert maria.check_password(shown(page, "password"))
    assert shown(page, "login-url").endswith("/login/")
    enrolling = signed_in(maria, second_factor=False)
    assert enrolling.post("/two-factor/", {"invitation": shown(page, "code")}).status_code == 302
    assert shown(page, "code") not in client.get(f"/p/{project.slug}/members/").content.decode()


def test_the_invitation_is_audited_without_the_email_password_or_code(
    project: Project, admin: User
) -> None:
    page = signed_in(admin).post(f"/p/{project.slug}/members/", INVITE).content.decode()
    actions = set(AuditEvent.objects.filter(actor_id=admin.pk).values_list("action", flat=True))
    assert {"accounts.user.create", "accounts.membership.create",
            "accounts.invitation.create"} <= actions  # fmt: skip
    details = str(list(AuditEvent.objects.values_list("details", flat=True)))
    for secret in ("maria@example.org", shown(page, "password"), shown(page, "code")):
        assert secret not in details


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "attorney"}, "A user with this name already exists."),
        ({"username": "maria lópez!"}, "Enter a valid username."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"role": "overlord"}, "Select a valid choice."),
    ],
)
def test_a_bad_invitation_is_named_and_nothing_is_created(
    project: Project, admin: User, attorney: User, changes: dict[str, str], message: str
) -> None:
    users = User.objects.count()
    page = signed_in(admin).post(f"/p/{project.slug}/members/", {**INVITE, **changes})
    assert page.status_code == 200 and message in page.content.decode()
    assert User.objects.count() == users and not Invitation.objects.exists()


def test_a_spanish_admin_reads_the_invitation_error_in_spanish(
    project: Project, admin: User, attorney: User
) -> None:
    data = {**INVITE, "username": "attorney"}
    page = signed_in(admin).post(f"/p/{project.slug}/members/", data, HTTP_ACCEPT_LANGUAGE="es")
    assert "Ya existe un usuario con este nombre." in page.content.decode()


def test_the_admin_changes_a_members_role(project: Project, admin: User, attorney: User) -> None:
    client = signed_in(admin)
    data = {"action": "role", "user": str(attorney.pk), "role": "viewer"}
    response = client.post(f"/p/{project.slug}/members/", data)
    assert response.status_code == 302
    assert Membership.objects.get(user=attorney).role == "viewer"
    assert "Role changed for attorney." in client.get(response["Location"]).content.decode()


def test_the_admin_removes_a_member(project: Project, admin: User, attorney: User) -> None:
    data = {"action": "remove", "user": str(attorney.pk)}
    assert signed_in(admin).post(f"/p/{project.slug}/members/", data).status_code == 302
    assert not Membership.objects.filter(user=attorney).exists()
    assert AuditEvent.objects.filter(action="accounts.membership.delete").exists()


@pytest.mark.parametrize("data", [{"action": "role", "role": "viewer"}, {"action": "remove"}])
def test_the_last_admin_can_neither_step_down_nor_be_removed(
    project: Project, admin: User, data: dict[str, str]
) -> None:
    page = signed_in(admin).post(f"/p/{project.slug}/members/", {**data, "user": str(admin.pk)})
    assert page.status_code == 200 and "last administrator keeps the role" in page.content.decode()
    assert Membership.objects.get(user=admin).role == "admin"


def test_someone_outside_the_project_cannot_be_changed_or_removed(
    project: Project, admin: User, outsider: User
) -> None:
    for action in ("role", "remove"):
        data = {"action": action, "user": str(outsider.pk), "role": "admin"}
        page = signed_in(admin).post(f"/p/{project.slug}/members/", data)
        assert "Choose a member of this project." in page.content.decode()
    assert not Membership.objects.filter(user=outsider).exists()


def test_another_member_cannot_invite(project: Project, attorney: User) -> None:
    response = signed_in(attorney).post(f"/p/{project.slug}/members/", INVITE)
    assert response.status_code == 403
    assert not User.objects.filter(username="maria").exists()
