"""In the browser: an attorney signs in with a second factor and works the review queue.

Drives Debian's Chromium through Playwright (never ``playwright install``: no downloads here).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import BROWSER_TEST, CHROMIUM, CHROMIUM_FLAGS, attorney_with_phone, sign_in

pytestmark = BROWSER_TEST


@pytest.fixture
def queued_project(
    audit_log_emptied_after: None, transactional_db: None, settings: Any
) -> tuple[str, object]:
    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.cases.actions import do_create_project, do_load_vocabulary
    from testimonio.web.linking.actions import do_run_linkage
    from tests.web.linking.factories import make_world

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Turn-backs 2017", vocabulary, None, slug="turnbacks-2017")
    make_world(project, people=10, vague=4)
    run = do_run_linkage(project, None)
    assert run.review_pairs.count() >= 2, "the world must leave pairs to review"
    return project.slug, attorney_with_phone(project)


def test_an_attorney_decides_a_pair_and_the_queue_shrinks(live_server, queued_project) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    slug, device = queued_project
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        sign_in(page, live_server.url, device)
        page.goto(f"{live_server.url}/p/{slug}/linkage/review/")
        before = page.locator("tr.review-pair").count()
        page.locator("tr.review-pair a").first.click()
        page.wait_for_selector("text=Are these the same person?")
        assert page.locator("text=this view was recorded in the audit log").count() == 1
        page.click("button[value=same]")
        page.wait_for_url(f"**/p/{slug}/linkage/review/")
        assert page.locator("tr.review-pair").count() == before - 1
        browser.close()
