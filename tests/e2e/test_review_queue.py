"""In the browser: an attorney signs in with a second factor and works the review queue.

Drives Debian's Chromium through Playwright (never ``playwright install``: no downloads here).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)"),
]


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


@pytest.fixture
def queued_project(
    audit_log_emptied_after: None, transactional_db: None, settings
) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.accounts.actions import do_add_member, do_create_user
    from testimonio.web.analyses.actions import do_run_linkage
    from testimonio.web.cases.actions import do_create_project, do_load_vocabulary
    from tests.web.analyses.factories import make_world

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Turn-backs 2017", vocabulary, None, slug="turnbacks-2017")
    make_world(project, people=10, vague=4)
    run = do_run_linkage(project, None)
    assert run.review_pairs.count() >= 2, "the world must leave pairs to review"
    attorney, _ = do_create_user("attorney", None, password=PASSWORD)
    do_add_member(project, attorney, "attorney", None)
    device = TOTPDevice.objects.create(user=attorney, name="phone", confirmed=True)
    return project.slug, device


def test_an_attorney_decides_a_pair_and_the_queue_shrinks(live_server, queued_project) -> None:  # type: ignore[no-untyped-def]
    from django_otp.oath import totp
    from playwright.sync_api import sync_playwright

    slug, device = queued_project
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "attorney")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/two-factor/**")
        page.fill("input[name=code]", f"{totp(device.bin_key):06d}")
        page.click("main button[type=submit]")  # the header's button logs out
        page.wait_for_url(lambda url: "two-factor" not in url)
        page.goto(f"{live_server.url}/p/{slug}/linkage/review/")
        before = page.locator("tr.review-pair").count()
        page.locator("tr.review-pair a").first.click()
        page.wait_for_selector("text=Are these the same person?")
        assert page.locator("text=this view was recorded in the audit log").count() == 1
        page.click("button[value=same]")
        page.wait_for_url(f"**/p/{slug}/linkage/review/")
        assert page.locator("tr.review-pair").count() == before - 1
        browser.close()
