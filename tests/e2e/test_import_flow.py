"""In the browser: an attorney (signed in with a second factor) uploads a CSV, reviews the
mapping, reads the validation report, confirms, and sees what was imported.

Drives Debian's Chromium through Playwright (see ``browser.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import BROWSER_TEST, CHROMIUM, CHROMIUM_FLAGS, attorney_with_phone, sign_in

pytestmark = BROWSER_TEST

CSV = (
    "numero,nombre,apellidos,garita,fecha,que_paso\n"
    "R-1,Ana,Pérez,2504-SYS,14/05/2017,amenazas\n"
    "R-2,Luis,Gómez,2503-CXW,06/2018,TAC.DENY.CAPACITY\n"
    "R-3,Eva,Ruiz,9999-NOWHERE,2018,amenazas\n"
)


@pytest.fixture
def import_project(
    audit_log_emptied_after: None, transactional_db: None, settings: Any
) -> tuple[str, object]:
    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.cases.actions import do_create_project, do_load_vocabulary

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Turn-backs 2017", vocabulary, None, slug="turnbacks-2017")
    return project.slug, attorney_with_phone(project)


def test_an_attorney_imports_a_csv_through_the_browser(  # type: ignore[no-untyped-def]
    live_server, import_project, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    from testimonio.web.cases.models import Record
    from testimonio.web.imports.models import ImportDraft

    slug, device = import_project
    upload = tmp_path / "lista.csv"
    upload.write_text(CSV, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        sign_in(page, live_server.url, device)
        page.goto(f"{live_server.url}/p/{slug}/")
        page.click("text=Imports")

        page.set_input_files("input[name=file]", str(upload))
        page.fill("input[name=new_source_name]", "Lista de la casa")
        page.click("text=Upload and preview")
        page.wait_for_selector("h1:text('1. Preview')")
        assert page.locator("td.row-count").inner_text() == "3"
        assert "delimiter comma" in page.locator("td.detected").inner_text()
        assert page.locator("table.preview tr").count() == 4  # header and three rows

        page.click("a.next-step")
        page.wait_for_selector("h1:text('2. Mapping')")
        assert page.locator("select[name=column_port]").input_value() == "garita"
        page.select_option("select[name=date_order_encounter_date]", "DMY")
        page.click("text=Save the mapping and validate")

        page.wait_for_selector("h1:text('3. Validation')")
        assert page.locator(".valid-count").inner_text() == "2"
        assert page.locator(".failed-count").inner_text() == "1"
        assert page.locator("table.problems").inner_text().count("garita") == 1
        page.click("button[value=import]")
        assert "nothing was imported" in page.locator(".refusal").inner_text()

        page.check("input[name=skip_invalid]")
        page.click("button[value=import]")
        page.wait_for_selector(".import-result")
        result = page.locator(".import-result").inner_text()
        assert "2 new, 0 updated, 0 unchanged, 1 left out" in result
        browser.close()
    assert Record.objects.filter(source__name="Lista de la casa").count() == 2
    assert not ImportDraft.objects.exists()
