"""Setting up a second factor needs an administrator's one-time invitation, not just a password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.web.accounts.actions import do_invite_user, do_reset_second_factor
from testimonio.web.accounts.models import Invitation
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from tests.web.clients import signed_in as signed_in_client

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def signed_in(user: User) -> Client:
    """Password login only: the second factor is what these tests are about."""
    return signed_in_client(user, second_factor=False)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def start_enrolment(client: Client, code: str) -> TOTPDevice:
    response = client.post("/two-factor/", {"invitation": code})
    assert response.status_code == 302
    return TOTPDevice.objects.get(user__username="attorney", confirmed=False)


def test_after_the_password_alone_no_authenticator_secret_is_shown(
    project: Project, attorney: User
) -> None:
    client = signed_in(attorney)
    assert client.get(f"/p/{project.slug}/")["Location"].startswith("/two-factor/")
    page = client.get("/two-factor/").content.decode()
    assert "Key:" not in page and "otpauth://" not in page
    assert "enrolment code" in page
    assert not TOTPDevice.objects.filter(user=attorney).exists()


def test_a_wrong_invitation_code_shows_no_secret_and_is_audited(attorney: User) -> None:
    do_invite_user(attorney, None, valid_for=DAY)
    client = signed_in(attorney)
    response = client.post("/two-factor/", {"invitation": "aaaaa-bbbbb-ccccc-ddddd"})
    page = response.content.decode()
    assert response.status_code == 200 and "wrong, expired or already used" in page
    assert "otpauth://" not in page and not TOTPDevice.objects.filter(user=attorney).exists()
    assert AuditEvent.objects.filter(action="accounts.invitation.fail").count() == 1


def test_an_invitation_for_someone_else_does_not_enrol_this_account(
    attorney: User, analyst: User
) -> None:
    code = do_invite_user(analyst, None, valid_for=DAY)
    response = signed_in(attorney).post("/two-factor/", {"invitation": code})
    assert response.status_code == 200 and not TOTPDevice.objects.exists()


def test_an_expired_invitation_does_not_work(attorney: User) -> None:
    code = do_invite_user(attorney, None, valid_for=DAY)
    Invitation.objects.update(expires_at=Invitation.objects.get().created_at - DAY)
    response = signed_in(attorney).post("/two-factor/", {"invitation": code})
    assert response.status_code == 200 and not TOTPDevice.objects.exists()


def test_the_invitation_is_stored_only_as_a_keyed_hash(attorney: User) -> None:
    code = do_invite_user(attorney, None, valid_for=DAY)
    stored = Invitation.objects.get()
    assert code not in stored.code_hash and code.replace("-", "") not in stored.code_hash
    assert len(code.replace("-", "")) == 20


def test_a_secret_made_before_the_invitation_is_never_reused(attorney: User) -> None:
    captured = TOTPDevice.objects.create(user=attorney, name="captured", confirmed=False)
    client = signed_in(attorney)
    device = start_enrolment(client, do_invite_user(attorney, None, valid_for=DAY))
    assert device.bin_key != captured.bin_key
    assert not TOTPDevice.objects.filter(pk=captured.pk).exists()
    assert base32_key(captured) not in client.get("/two-factor/").content.decode()


def base32_key(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode("ascii")


def test_each_start_of_enrolment_makes_a_fresh_secret(attorney: User) -> None:
    code = do_invite_user(attorney, None, valid_for=DAY)
    first = start_enrolment(signed_in(attorney), code)
    second = start_enrolment(signed_in(attorney), code)
    assert first.bin_key != second.bin_key
    assert TOTPDevice.objects.filter(user=attorney).count() == 1


def test_enrolling_confirms_the_authenticator_and_shows_recovery_codes_once(
    project: Project, attorney: User
) -> None:
    client = signed_in(attorney)
    device = start_enrolment(client, do_invite_user(attorney, None, valid_for=DAY))
    assert base32_key(device) in client.get("/two-factor/").content.decode()
    response = client.post("/two-factor/", {"code": current_code(device)})
    page = response.content.decode()
    assert response.status_code == 200 and "recovery codes" in page
    assert page.count("<li><code>") == 10
    device.refresh_from_db()
    assert device.confirmed and Invitation.objects.get().used_at is not None
    assert client.get(f"/p/{project.slug}/").status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.totp.confirm", "accounts.recovery_codes.create"} <= actions


def test_an_invitation_works_only_once(attorney: User) -> None:
    code = do_invite_user(attorney, None, valid_for=DAY)
    client = signed_in(attorney)
    device = start_enrolment(client, code)
    client.post("/two-factor/", {"code": current_code(device)})
    TOTPDevice.objects.filter(user=attorney).delete()
    response = signed_in(attorney).post("/two-factor/", {"invitation": code})
    assert (
        response.status_code == 200
        and "wrong, expired or already used" in response.content.decode()
    )


def test_recovery_codes_are_stored_hashed_and_each_works_once(
    project: Project, attorney: User
) -> None:
    client = signed_in(attorney)
    device = start_enrolment(client, do_invite_user(attorney, None, valid_for=DAY))
    page = client.post("/two-factor/", {"code": current_code(device)}).content.decode()
    codes = [line.split("<code>")[1].split("</code>")[0] for line in page.split("<li>")[1:]]
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {code.replace("-", "") for code in codes}
    later = signed_in(attorney)
    assert later.post("/two-factor/", {"code": codes[0]}).status_code == 302
    assert later.get(f"/p/{project.slug}/").status_code == 200
    again = signed_in(attorney)
    assert again.post("/two-factor/", {"code": codes[0]}).status_code == 200
    assert again.get(f"/p/{project.slug}/").status_code == 302
    assert StaticToken.objects.count() == 9


def test_after_a_reset_the_old_phone_no_longer_works_and_a_new_invitation_is_needed(
    attorney: User,
) -> None:
    old_phone = TOTPDevice.objects.create(user=attorney, name="lost phone", confirmed=True)
    assert do_reset_second_factor(attorney, None) == 1
    client = signed_in(attorney)
    response = client.post("/two-factor/", {"code": current_code(old_phone)})
    assert response.status_code == 200 and "enrolment code" in response.content.decode()
    assert AuditEvent.objects.filter(action="accounts.second_factor.reset").exists()
    start_enrolment(client, do_invite_user(attorney, None, valid_for=DAY))
