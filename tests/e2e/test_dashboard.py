"""In the browser: an attorney opens the dashboard, filters it by port, and clicks from a figure
to the people behind it and on to a person's page; the charts are server-rendered SVG that the
Content-Security-Policy lets through.

Drives Debian's Chromium through Playwright (never ``playwright install``: no downloads here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import BROWSER_TEST, CHROMIUM, CHROMIUM_FLAGS, attorney_with_phone, sign_in

pytestmark = BROWSER_TEST


@pytest.fixture
def world_project(
    audit_log_emptied_after: None, transactional_db: None, settings: Any, tmp_path: Path
) -> tuple[str, object]:
    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.cases.actions import do_create_project, do_load_vocabulary
    from tests.web.snapshots.world import imported_world, simulate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Synthetic world", vocabulary, None, slug="synthetic-world")
    imported_world(project, tmp_path, simulate(tmp_path, people=120))
    return project.slug, attorney_with_phone(project)


def test_an_attorney_filters_the_dashboard_and_reaches_a_person(live_server, world_project) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    slug, device = world_project
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)  # fmt: skip
        sign_in(page, live_server.url, device)
        page.goto(f"{live_server.url}/p/{slug}/")
        page.click("text=Dashboard: the pattern, with intervals")
        page.wait_for_url(f"**/p/{slug}/dashboard/")
        assert page.locator("section.chart svg").count() == 2
        port = page.locator("select[name=port] option").nth(1).get_attribute("value")
        page.select_option("select[name=port]", port)
        page.click("text=Filter")
        page.wait_for_url(f"**/dashboard/?*port={port}*")
        row = page.locator("tr", has=page.locator("td", has_text="persons_turned_away")).first
        row.locator("a", has_text="who").click()
        page.wait_for_selector("h1:has-text('Behind persons_turned_away')")
        assert f"port = {port}" in page.inner_text("main")
        first = page.locator("ul.pseudonyms a").first
        pseudonym = first.inner_text()
        first.click()
        page.wait_for_url(f"**/p/{slug}/people/{pseudonym}/")
        assert pseudonym in page.inner_text("h1")
        assert refused == []
        browser.close()
