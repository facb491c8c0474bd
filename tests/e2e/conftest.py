"""Fixtures of the browser tests: the ORM beside Playwright's loop, and an emptied audit log."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def orm_allowed_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    """Playwright runs an event loop in this thread; Django checks this variable at each ORM
    call (see NOTES.md). Set for these tests only: it must never leak into a deployment."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def audit_log_emptied_after(transactional_db: None) -> Iterator[None]:
    """The test database is flushed after a live-server test, but the audit log refuses
    DELETE; empty it with its guard lifted for a moment, then put the guard back."""
    yield
    from django.db import connection

    guard = importlib.import_module(
        "testimonio.web.audit.migrations.0002_append_only_on_postgresql"
    )
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in guard.SQLITE_BACKWARD:
            cursor.execute(statement)
        cursor.execute("DELETE FROM audit_auditevent")
        for statement in guard.SQLITE_FORWARD:
            cursor.execute(statement)
