"""A canary name pushed through the forms and through a server error reaches no log line,
error page, session or URL."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.web.security.failing_urls import CANARY

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured console handler (with its filter) would print."""
    handler = logging.getLogger("django").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.fixture
def failing_site(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = "tests.web.security.failing_urls"
    settings.DEBUG = False


def test_a_server_error_with_a_canary_in_its_message_leaks_nowhere(
    failing_site: None, log_output: io.StringIO
) -> None:
    client = Client(raise_request_exception=False)
    response = client.post("/explode/?name=" + CANARY.replace(" ", "+"), {"name": CANARY})
    assert response.status_code == 500
    logged = log_output.getvalue()
    assert "ValueError: <withheld>" in logged and "Traceback" in logged
    assert "Canarito" not in logged and "Zzyzxq" not in logged
    assert "Canarito" not in response.content.decode()


def test_a_canary_typed_into_the_login_form_is_not_kept_anywhere(
    log_output: io.StringIO,
) -> None:
    client = Client()
    response = client.post("/login/", {"username": CANARY, "password": CANARY})
    assert response.status_code == 200
    assert CANARY not in log_output.getvalue()
    for session in Session.objects.all():
        assert "Canarito" not in str(session.get_decoded())
    assert "Canarito" not in response.get("Location", "")


def test_a_canary_typed_into_the_two_factor_form_is_not_echoed(analyst) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(analyst)
    response = client.post("/two-factor/", {"code": "Canarito"})
    assert "Canarito" not in response.content.decode()
