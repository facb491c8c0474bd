"""In the browser: a new attorney enrols an authenticator with an administrator's code, keeps
the recovery codes, and lands on the project; without the code no secret is ever shown."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from tests.e2e.browser import BROWSER_TEST, CHROMIUM, CHROMIUM_FLAGS, PASSWORD

pytestmark = BROWSER_TEST


@pytest.fixture
def invited_attorney(
    audit_log_emptied_after: None, transactional_db: None, settings: Any
) -> tuple[str, str]:
    """A project, and an attorney of it with a password and an enrolment code (no phone yet)."""
    from datetime import timedelta

    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.accounts.actions import do_add_member, do_create_user, do_invite_user
    from testimonio.web.cases.actions import do_create_project, do_load_vocabulary

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Turn-backs 2017", vocabulary, None, slug="turnbacks-2017")
    attorney, _ = do_create_user("attorney", None, password=PASSWORD)
    do_add_member(project, attorney, "attorney", None)
    return project.slug, do_invite_user(attorney, None, valid_for=timedelta(hours=1))


def test_an_attorney_enrols_with_the_code_and_reaches_the_project(
    live_server: Any, invited_attorney: tuple[str, str]
) -> None:
    from django_otp.oath import totp
    from playwright.sync_api import sync_playwright

    slug, code = invited_attorney
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(f"{live_server.url}/login/?next=/p/{slug}/")
        page.fill("input[name=username]", "attorney")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/two-factor/**")
        assert "otpauth://" not in page.content()
        page.fill("input[name=invitation]", code)
        page.click("main button[type=submit]")
        secret = re.search(r"Key: <code>([A-Z2-7=]+)</code>", page.content())
        assert secret is not None
        page.fill("input[name=code]", f"{totp(base64.b32decode(secret.group(1))):06d}")
        page.click("main button[type=submit]")
        page.wait_for_selector("text=Your recovery codes")
        assert page.locator("ul.recovery-codes li").count() == 10
        page.click("text=Continue")
        page.wait_for_url(f"**/p/{slug}/")
        assert page.locator("h1").inner_text() == "Turn-backs 2017"
        browser.close()
