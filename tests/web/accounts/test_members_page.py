"""A project's administrator gives its members enrolment codes on the members page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.web.accounts.models import Invitation
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from tests.web.clients import signed_in
from tests.web.conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(project: Project) -> User:
    return member(project, "admin", "admin")


def test_an_admin_creates_an_enrolment_code_that_lets_the_attorney_enrol(
    project: Project, admin: User, attorney: User
) -> None:
    page = signed_in(admin).post(f"/p/{project.slug}/members/", {"user": attorney.pk})
    code = re.search(r"<code>([a-z2-7-]{23})</code>", page.content.decode())
    assert page.status_code == 200 and code is not None
    event = AuditEvent.objects.get(action="accounts.invitation.create")
    assert event.actor_id == admin.pk and event.details["user_id"] == attorney.pk
    client = signed_in(attorney, second_factor=False)
    assert client.post("/two-factor/", {"invitation": code.group(1)}).status_code == 302
    assert TOTPDevice.objects.filter(user=attorney, confirmed=False).exists()


def test_no_code_for_someone_enrolled_a_superuser_or_a_non_member(
    project: Project, admin: User, attorney: User, outsider: User
) -> None:
    TOTPDevice.objects.create(user=attorney, name="phone", confirmed=True)
    superuser = member(project, "superuser", "viewer")
    User.objects.filter(pk=superuser.pk).update(is_superuser=True)
    client = signed_in(admin)
    for target in (attorney, superuser, outsider):
        page = client.post(f"/p/{project.slug}/members/", {"user": target.pk})
        assert "Choose a member" in page.content.decode()
    assert not Invitation.objects.exists()


def test_the_members_page_lists_roles_and_who_has_set_up_a_second_factor(
    project: Project, admin: User, analyst: User
) -> None:
    page = signed_in(admin).get(f"/p/{project.slug}/members/").content.decode()
    assert "analyst" in page and "Data analyst" in page and "not set up" in page
    assert "set up</td>" in page  # the admin's own (test) authenticator
