"""In the browser, the whole first day of a project: an instance administrator creates it and
invites an intake volunteer and an attorney from the members page; the volunteer enrols an
authenticator with the invitation, switches to Spanish and records a person with two
encounters and a family member; the attorney enrols, signs in again with a TOTP code, finds
the person by name (the exact lookup), opens their page and sees them counted on the
dashboard. Each main page is kept as a screenshot in ``test-artifacts/screenshots/``.

Drives Debian's Chromium through Playwright (never ``playwright install``: no downloads here).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import BROWSER_TEST, CHROMIUM, CHROMIUM_FLAGS, PASSWORD, sign_in

pytestmark = BROWSER_TEST

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SLUG = "rechazos-2019"


@pytest.fixture
def operator_phone(audit_log_emptied_after: None, transactional_db: None, settings: Any) -> Any:
    """An instance administrator with a confirmed authenticator, and the shipped vocabulary."""
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.accounts.actions import do_create_user
    from testimonio.web.cases.actions import do_load_vocabulary

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    do_load_vocabulary(read_bundle(bundled_path()), None)
    operator, _ = do_create_user("operator", None, password=PASSWORD, is_superuser=True)
    assert isinstance(operator, User)
    return TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def invite(page: Any, username: str, role: str) -> dict[str, str]:
    """Invite from the members page; returns the details shown once (password, code)."""
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.org")
    page.select_option("#id_role", role)
    page.click("main form:has(input[name=action][value=invite]) button[type=submit]")
    page.wait_for_selector("#invited-code")
    return {what: page.inner_text(f"#invited-{what} code") for what in ("password", "code")}


def enrol(page: Any, base_url: str, username: str, details: dict[str, str]) -> None:
    """Password, then the invitation code, then the first TOTP code of the new secret."""
    from django_otp.oath import totp

    page.goto(f"{base_url}/login/?next=/p/{SLUG}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", details["password"])
    page.click("main button[type=submit]")
    if "two-factor" not in page.url:  # an intake volunteer enrols of their own accord
        page.goto(f"{base_url}/two-factor/?next=/p/{SLUG}/")
    page.fill("input[name=invitation]", details["code"])
    page.click("main button[type=submit]")
    secret = re.search(r"<code>([A-Z2-7=]{16,})</code>", page.content())
    assert secret is not None
    page.fill("input[name=code]", f"{totp(base64.b32decode(secret.group(1))):06d}")
    page.click("main button[type=submit]")
    assert page.locator("ul.recovery-codes li").count() == 10
    page.click("main a[href*='/p/']")
    page.wait_for_url(f"**/p/{SLUG}/")


def log_out(page: Any) -> None:
    page.click("header form[action='/logout/'] button")
    page.wait_for_load_state()


def create_project_and_invite(page: Any, base_url: str, device: Any) -> dict[str, dict[str, str]]:
    sign_in(page, base_url, device, username="operator")
    page.goto(f"{base_url}/")
    page.click("a[href='/projects/new/']")
    shot(page, "01-new-project")
    page.fill("#id_name", "Rechazos 2019")
    page.fill("#id_publication_threshold", "2")  # refused: below 3
    page.click("main button[type=submit]")
    assert "greater than or equal to 3" in page.inner_text("main")
    page.fill("#id_publication_threshold", "5")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/p/{SLUG}/")
    shot(page, "02-project-admin")
    page.click(f"a[href='/p/{SLUG}/sources/']")
    page.fill("#id_name", "Intake log")
    page.select_option("#id_kind", "intake_log")
    page.click("main button[type=submit]")
    page.wait_for_selector("td:text-is('Intake log')")
    shot(page, "03-sources")
    page.click(f"main a[href='/p/{SLUG}/members/']")
    invited = {"volunteer": invite(page, "volunteer", "intake")}
    invited["lawyer"] = invite(page, "lawyer", "attorney")
    shot(page, "04-members")
    assert page.locator("td:text-is('volunteer')").count() == 1
    log_out(page)
    return invited


def record_testimony_in_spanish(page: Any, base_url: str, details: dict[str, str]) -> str:
    enrol(page, base_url, "volunteer", details)
    page.select_option("#language-choice", "es")
    page.click("header .language-switch button")
    page.wait_for_selector("text=Su función:")
    page.click(f"a[href='/p/{SLUG}/intake/new/']")
    assert page.locator("h1").inner_text() == "Nuevo testimonio"
    page.fill("#id_person-given_names", "Rosalba")
    page.fill("#id_person-surnames", "Quintero Ávila")
    page.fill("#id_person-birth_year", "1990")
    page.fill("#id_family-0-given_names", "Eustaquio")
    page.fill("#id_family-0-surnames", "Quintero")
    page.select_option("#id_family-0-relationship", "child")
    page.fill("#id_encounter-0-date_year", "2018")
    page.select_option("#id_encounter-0-date_month", "11")
    page.select_option("#id_encounter-0-port", "2504-SYS")
    page.select_option("#id_encounter-0-outcome", "OUT.TURNED_BACK")
    page.click("button[name=add_encounter]")
    page.wait_for_selector("#id_encounter-1-date_year")
    page.fill("#id_encounter-1-date_year", "2018")
    page.select_option("#id_encounter-1-date_month", "12")
    page.select_option("#id_encounter-1-port", "2504-SYS")
    page.fill("#id_encounter-1-attempt_number", "2")
    page.select_option("#id_encounter-1-outcome", "OUT.TURNED_BACK")
    shot(page, "05-intake-es")
    page.click("button[name=save]")
    page.wait_for_url(re.compile(rf".*/p/{SLUG}/intake/[0-9a-f-]{{36}}/$"))
    shot(page, "06-intake-saved-es")
    pseudonym = re.search(r"P-\d{6}", page.inner_text("main"))
    assert pseudonym is not None
    assert "Rosalba" not in page.content()
    log_out(page)
    return pseudonym.group(0)


def attorney_finds_the_person(page: Any, base_url: str, details: dict[str, str],
                              pseudonym: str) -> None:  # fmt: skip
    from django_otp.plugins.otp_totp.models import TOTPDevice

    enrol(page, base_url, "lawyer", details)
    log_out(page)
    device = TOTPDevice.objects.get(user__username="lawyer", confirmed=True)
    sign_in(page, base_url, device, username="lawyer", password=details["password"], drift=1)
    page.goto(f"{base_url}/p/{SLUG}/cases/lookup/")
    page.fill("#id_given_names", "Rosalba")
    page.fill("#id_surnames", "Quintero")
    page.click("main button[type=submit]")
    page.wait_for_selector(f"main a:text('{pseudonym}')")
    shot(page, "07-lookup")
    page.click(f"main a:text('{pseudonym}')")
    page.wait_for_url(f"**/people/{pseudonym}/")
    assert page.locator("h1").inner_text().startswith(pseudonym)
    shot(page, "08-person")
    page.goto(f"{base_url}/p/{SLUG}/linkage/")  # the dashboard counts linked persons
    page.click("main form button[type=submit]")
    page.wait_for_selector("#job-status[data-status=finished]")
    page.goto(f"{base_url}/p/{SLUG}/dashboard/")
    row = page.locator("tr", has=page.locator("td", has_text="persons_turned_away")).first
    assert row.locator("td").nth(1).inner_text() == "1"
    shot(page, "09-dashboard")
    row.locator("a").click()
    page.wait_for_selector(f"ul.pseudonyms a:text('{pseudonym}')")


def test_an_admin_sets_up_a_project_a_volunteer_records_and_an_attorney_finds(
    live_server: Any, operator_phone: Any
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1000, "height": 800})
        context.set_default_timeout(120_000)  # a loaded machine: a page can be slow
        page = context.new_page()
        invited = create_project_and_invite(page, live_server.url, operator_phone)
        pseudonym = record_testimony_in_spanish(page, live_server.url, invited["volunteer"])
        attorney_finds_the_person(page, live_server.url, invited["lawyer"], pseudonym)
        browser.close()
