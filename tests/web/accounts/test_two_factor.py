"""Attorneys and administrators need a second factor; a code cannot be used twice; passing it
rotates the session and leads only within this site."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from tests.web.clients import signed_in as signed_in_client

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    """Password login only: the second factor is what these tests are about."""
    return signed_in_client(user, second_factor=False)


@pytest.fixture
def phone(attorney: User) -> TOTPDevice:
    """The attorney's authenticator, set up earlier."""
    return TOTPDevice.objects.create(user=attorney, name="phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_a_correct_code_opens_the_project(project: Project, phone: TOTPDevice) -> None:
    client = signed_in(phone.user)
    assert client.post("/two-factor/", {"code": current_code(phone)}).status_code == 302
    assert client.get(f"/p/{project.slug}/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.second_factor.pass").exists()


def test_a_code_that_was_already_used_is_rejected(project: Project, phone: TOTPDevice) -> None:
    code = current_code(phone)
    assert signed_in(phone.user).post("/two-factor/", {"code": code}).status_code == 302
    replay = signed_in(phone.user)
    response = replay.post("/two-factor/", {"code": code})
    assert response.status_code == 200 and "already used" in response.content.decode()
    assert replay.get(f"/p/{project.slug}/").status_code == 302


def test_a_wrong_code_is_rejected_and_audited(phone: TOTPDevice) -> None:
    response = signed_in(phone.user).post("/two-factor/", {"code": "000000"})
    assert "wrong" in response.content.decode()
    event = AuditEvent.objects.get(action="accounts.second_factor.fail")
    assert event.actor_id == phone.user.pk and event.details["address"] == "127.0.0.1"


def test_passing_the_second_factor_rotates_the_session_key(phone: TOTPDevice) -> None:
    client = signed_in(phone.user)
    before = client.session.session_key
    assert client.post("/two-factor/", {"code": current_code(phone)}).status_code == 302
    assert client.session.session_key != before


def test_next_after_the_second_factor_cannot_lead_to_another_site(phone: TOTPDevice) -> None:
    client = signed_in(phone.user)
    url = "/two-factor/?next=https://evil.example/phish"
    response = client.post(url, {"code": current_code(phone)})
    assert response.status_code == 302 and response["Location"] == "/"


def test_next_after_the_second_factor_leads_back_to_the_page_asked_for(
    project: Project, phone: TOTPDevice
) -> None:
    client = signed_in(phone.user)
    asked = client.get(f"/p/{project.slug}/")
    assert asked["Location"] == f"/two-factor/?next=/p/{project.slug}/"
    response = client.post(asked["Location"], {"code": current_code(phone)})
    assert response["Location"] == f"/p/{project.slug}/"


def test_an_analyst_needs_no_second_factor(project: Project, analyst: User) -> None:
    assert signed_in(analyst).get(f"/p/{project.slug}/").status_code == 200
