"""Attorneys and administrators need a second factor; a code cannot be used twice."""

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


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_an_attorney_without_a_second_factor_is_sent_to_set_one_up(
    project: Project, attorney: User
) -> None:
    client = signed_in(attorney)
    response = client.get(f"/p/{project.slug}/")
    assert response.status_code == 302 and response["Location"] == "/two-factor/"
    page = client.get("/two-factor/").content.decode()
    assert "Key:" in page and "otpauth://totp/" in page


def test_setting_up_the_authenticator_with_a_correct_code_opens_the_project(
    project: Project, attorney: User
) -> None:
    client = signed_in(attorney)
    client.get("/two-factor/")
    device = TOTPDevice.objects.get(user=attorney)
    response = client.post("/two-factor/", {"code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(f"/p/{project.slug}/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.totp.confirm").exists()


def test_a_code_that_was_already_used_is_rejected(project: Project, attorney: User) -> None:
    first = signed_in(attorney)
    first.get("/two-factor/")
    device = TOTPDevice.objects.get(user=attorney)
    code = current_code(device)
    assert first.post("/two-factor/", {"code": code}).status_code == 302
    replay = signed_in(attorney)
    response = replay.post("/two-factor/", {"code": code})
    assert response.status_code == 200 and "already used" in response.content.decode()
    assert replay.get(f"/p/{project.slug}/").status_code == 302


def test_a_wrong_code_is_rejected(attorney: User) -> None:
    client = signed_in(attorney)
    client.get("/two-factor/")
    response = client.post("/two-factor/", {"code": "000000"})
    assert "wrong" in response.content.decode()


def test_an_analyst_needs_no_second_factor(project: Project, analyst: User) -> None:
    assert signed_in(analyst).get(f"/p/{project.slug}/").status_code == 200
