"""Logging in: lockout per username and per address, audited attempts, an admin's unlock, a new
session, strict headers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from testimonio.web.accounts.actions import do_unlock_user
from testimonio.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def log_in(client: Client, username: str, password: str, address: str = "192.0.2.1") -> int:
    response = client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def test_a_username_is_locked_out_after_five_wrong_passwords_from_any_addresses(
    analyst: User,
) -> None:
    for attempt in range(4):
        assert log_in(Client(), "analyst", "wrong password", f"192.0.2.{attempt}") == 200
    assert log_in(Client(), "analyst", "wrong password", "198.51.100.7") == 429
    assert log_in(Client(), "analyst", PASSWORD, "203.0.113.9") == 429


def test_one_address_trying_many_usernames_is_locked_out(
    analyst: User, intake_officer: User
) -> None:
    for guess in ("alice", "bob", "carol", "dave"):
        assert log_in(Client(), guess, "Summer2017!", "192.0.2.66") == 200
    assert log_in(Client(), "erin", "Summer2017!", "192.0.2.66") == 429
    assert log_in(Client(), "analyst", PASSWORD, "192.0.2.66") == 429
    assert log_in(Client(), "intake_officer", PASSWORD, "192.0.2.10") == 302


def test_another_username_is_not_locked_by_someone_elses_failures(
    analyst: User, intake_officer: User
) -> None:
    for attempt in range(5):
        log_in(Client(), "analyst", "wrong password", f"192.0.2.{attempt}")
    assert log_in(Client(), "intake_officer", PASSWORD, "192.0.2.99") == 302


def test_an_admin_unlocks_a_locked_out_user(analyst: User) -> None:
    for attempt in range(5):
        log_in(Client(), "analyst", "wrong password", f"192.0.2.{attempt}")
    assert log_in(Client(), "analyst", PASSWORD) == 429
    assert do_unlock_user("analyst", None) >= 1
    assert log_in(Client(), "analyst", PASSWORD) == 302
    assert AuditEvent.objects.filter(action="accounts.user.unlock", object_id=analyst.pk).exists()


def test_logins_failures_and_lockouts_are_audit_events(analyst: User) -> None:
    assert log_in(Client(), "analyst", PASSWORD) == 302
    for _ in range(5):
        log_in(Client(), "analyst", "wrong password", "198.51.100.7")
    events = list(AuditEvent.objects.filter(action__startswith="accounts.login"))
    assert [event.action for event in events][:2] == ["accounts.login", "accounts.login.fail"]
    assert sum(event.action == "accounts.login.fail" for event in events) == 5
    lockout = next(event for event in events if event.action == "accounts.login.lockout")
    assert lockout.object_id == str(analyst.pk)
    assert lockout.details["address"] == "198.51.100.7"


def test_a_failed_login_with_an_unknown_name_does_not_log_what_was_typed(db: None) -> None:
    log_in(Client(), "my password typed as a name", "x")
    event = AuditEvent.objects.get(action="accounts.login.fail")
    assert "typed" not in str(event.payload()) and event.object_type == "unknown user"


def test_logging_in_rotates_the_session_key(analyst: User) -> None:
    client = Client()
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    assert log_in(client, "analyst", PASSWORD) == 302
    assert client.session.session_key != before


def test_logging_in_does_not_follow_next_to_another_site(analyst: User) -> None:
    response = Client().post(
        "/login/?next=https://evil.example/",
        {"username": "analyst", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_pages_carry_a_strict_content_security_policy(db: None) -> None:
    response = Client().get("/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
