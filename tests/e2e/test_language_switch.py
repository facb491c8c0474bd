"""In the browser: a Spanish browser gets the login page in Spanish; the header's switch turns
the app to English and back, and the choice outlives the session (a cookie), so the attorney
who signs in after switching reads the project page in the language chosen.

Drives Debian's Chromium through Playwright (never ``playwright install``: no downloads here).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import BROWSER_TEST, CHROMIUM, CHROMIUM_FLAGS, attorney_with_phone, sign_in

pytestmark = BROWSER_TEST


@pytest.fixture
def project_and_phone(
    audit_log_emptied_after: None, transactional_db: None, settings: Any
) -> tuple[str, object]:
    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.cases.actions import do_create_project, do_load_vocabulary

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Rechazos 2019", vocabulary, None, slug="rechazos-2019")
    return project.slug, attorney_with_phone(project)


def test_the_language_switch_is_remembered_across_signing_in(
    live_server: Any, project_and_phone: tuple[str, object]
) -> None:
    from playwright.sync_api import sync_playwright

    slug, device = project_and_phone
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        context = browser.new_context(locale="es-ES")
        context.set_default_timeout(120_000)  # a loaded machine: the first page can be slow
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        assert page.locator("h1").inner_text() == "Iniciar sesión"
        assert page.locator("html").get_attribute("lang") == "es"

        page.select_option("#language-choice", "en")
        page.click("header .language-switch button")
        page.wait_for_selector("h1:text('Log in')")
        assert page.locator("html").get_attribute("lang") == "en"

        page.select_option("#language-choice", "es")
        page.click("header .language-switch button")
        page.wait_for_selector("h1:text('Iniciar sesión')")
        sign_in(page, live_server.url, device)
        page.goto(f"{live_server.url}/p/{slug}/")
        assert "Su función:" in page.locator("main").inner_text()
        assert page.locator("#language-choice").input_value() == "es"
        browser.close()
