"""Logging in: lockout after repeated failures per username, a new session, strict headers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def log_in(client: Client, username: str, password: str) -> int:
    response = client.post("/login/", {"username": username, "password": password})
    return response.status_code


def test_a_username_is_locked_out_after_five_wrong_passwords(analyst: User) -> None:
    for _ in range(4):
        assert log_in(Client(), "analyst", "wrong password") == 200
    assert log_in(Client(), "analyst", "wrong password") == 429
    assert log_in(Client(), "analyst", PASSWORD) == 429


def test_another_username_is_not_locked_by_someone_elses_failures(
    analyst: User, intake_officer: User
) -> None:
    for _ in range(5):
        log_in(Client(), "analyst", "wrong password")
    assert log_in(Client(), "intake_officer", PASSWORD) == 302


def test_logging_in_rotates_the_session_key(analyst: User) -> None:
    client = Client()
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    assert log_in(client, "analyst", PASSWORD) == 302
    assert client.session.session_key != before


def test_pages_carry_a_strict_content_security_policy(db: None) -> None:
    response = Client().get("/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
