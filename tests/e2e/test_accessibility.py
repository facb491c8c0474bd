"""In the browser: axe-core finds no serious or critical violation on the main pages, in English
and in Spanish, and none of them scrolls sideways on a 390-px wide phone screen.

axe-core comes from the npm registry (``make axe``, run by ``make test``, puts it in
``.cache/axe``); its script is injected into each page after it loads. The pages are those a
team uses every day: login and second factor, the project page, the case list and lookup, a
person's page, the intake form, the dashboard, imports, declarations, publishing, members.

Drives Debian's Chromium through Playwright (never ``playwright install``: no downloads here).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import BROWSER_TEST, CHROMIUM, CHROMIUM_FLAGS, PASSWORD

AXE = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"
#: Under CI a missing axe-core fails the run: a silent skip would hide that nothing was checked.
pytestmark = [
    *BROWSER_TEST,
    pytest.mark.slow,
    pytest.mark.skipif(
        not AXE.exists() and os.environ.get("CI") != "true",
        reason="needs axe-core from the npm registry: run `make axe`",
    ),
]

#: What a violation must be to fail the test (axe's impacts: minor, moderate, serious, critical).
FAILING_IMPACTS = {"serious", "critical"}
PHONE_WIDTH = 390
#: The pages checked once signed in, after the project's slug.
PAGES = [
    "",
    "cases/",
    "cases/lookup/",
    "people/P-000001/",
    "intake/new/",
    "dashboard/",
    "imports/",
    "declarations/",
    "publish/",
    "publish/evidence/",
    "publish/public/",
    "members/",
]
LANGUAGES = {"en": "en-US", "es": "es-ES"}


@pytest.fixture
def example_project(
    audit_log_emptied_after: None, transactional_db: None, settings: Any
) -> tuple[str, object]:
    """The example project (a few invented people, a declaration) with an administrator who
    has a second factor: the role that sees every page."""
    from django.urls import get_resolver
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.accounts.actions import do_create_user
    from testimonio.web.cases.actions import do_load_vocabulary
    from testimonio.web.cases.examples import create_example_project

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    admin, _ = do_create_user("admin", None, password=PASSWORD)
    project = create_example_project(vocabulary, admin)
    # Import every view now (the first request would, inside the browser's timeout: on a
    # loaded machine that alone took over two minutes).
    get_resolver().url_patterns  # noqa: B018
    return project.slug, TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as loaded, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await window.axe.run(document)")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


def sideways_scroll(page: Any) -> int:
    """How far wider than the screen the page is (0 when nothing scrolls sideways)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return max(0, int(width) - PHONE_WIDTH)


def visit_every_page(page: Any, base_url: str, slug: str, device: Any, check: Any) -> None:
    """Log in (checking the login and second-factor pages on the way), then every page."""
    from django_otp.oath import totp

    page.goto(f"{base_url}/login/")
    check(page, "login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/two-factor/**")
    check(page, "two-factor")
    page.fill("input[name=code]", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "two-factor" not in url)
    check(page, "project list")
    for path in PAGES:
        response = page.goto(f"{base_url}/p/{slug}/{path}")
        assert response is not None and response.status == 200, (path, response)
        check(page, f"/p/{slug}/{path}")


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_main_pages_have_no_serious_accessibility_violation(
    live_server: Any, example_project: tuple[str, object], language: str
) -> None:
    from playwright.sync_api import sync_playwright

    slug, device = example_project
    found: dict[str, list[str]] = {}
    checked: list[str] = []

    def check(page: Any, name: str) -> None:
        assert page.locator("html").get_attribute("lang") == language, name
        checked.append(name)
        violations = serious_violations(page)
        if violations:
            found[name] = violations

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        # The CSP allows no inline script: axe's injected tag is let through for this test only.
        context = browser.new_context(locale=LANGUAGES[language], bypass_csp=True)
        context.set_default_timeout(120_000)  # a loaded machine: the first page can be slow
        visit_every_page(context.new_page(), live_server.url, slug, device, check)
        browser.close()
    assert len(checked) == len(PAGES) + 3
    assert found == {}, "\n".join(f"{name}: {lines}" for name, lines in found.items())


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_no_main_page_scrolls_sideways_on_a_phone(
    live_server: Any, example_project: tuple[str, object], language: str
) -> None:
    from playwright.sync_api import sync_playwright

    slug, device = example_project
    wider: dict[str, int] = {}
    checked: list[str] = []

    def check(page: Any, name: str) -> None:
        checked.append(name)
        if overflow := sideways_scroll(page):
            wider[name] = overflow

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        context = browser.new_context(
            locale=LANGUAGES[language], viewport={"width": PHONE_WIDTH, "height": 844}
        )
        context.set_default_timeout(120_000)
        visit_every_page(context.new_page(), live_server.url, slug, device, check)
        browser.close()
    assert len(checked) == len(PAGES) + 3
    assert wider == {}, f"pixels wider than {PHONE_WIDTH}: {wider}"


def test_the_check_finds_a_serious_violation_where_there_is_one() -> None:
    """The check itself can fail: an unlabelled field and an image without text are reported."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.set_content(
            '<!doctype html><html lang="en"><title>t</title><main><img src="x.png">'
            '<input name="surname"></main></html>'
        )
        found = " ".join(serious_violations(page))
        browser.close()
    assert "image-alt (critical)" in found
    assert "label (critical)" in found
