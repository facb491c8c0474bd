"""What every browser test shares: Debian's Chromium, and signing in with a second factor.

Drives Debian's Chromium through Playwright (never ``playwright install``: no downloads here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
PASSWORD = "correct horse battery staple"

#: Marks for a module of browser tests.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)"),
]


def attorney_with_phone(project: Any) -> Any:
    """An attorney of ``project`` with a confirmed TOTP device (returned, to compute codes)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testimonio.web.accounts.actions import do_add_member, do_create_user

    attorney, _ = do_create_user("attorney", None, password=PASSWORD)
    do_add_member(project, attorney, "attorney", None)
    return TOTPDevice.objects.create(user=attorney, name="phone", confirmed=True)


def sign_in(page: Any, base_url: str, device: Any, *, username: str = "attorney",
            password: str = PASSWORD, drift: int = 0) -> None:  # fmt: skip
    """Log in (the attorney by default): password, then the second factor's code.

    ``drift=1`` types the next time step's code (still accepted): a code is accepted only
    once per step, so a login right after enrolling with this step's code needs the next.
    """
    from django_otp.oath import totp

    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/two-factor/**")
    page.fill("input[name=code]", f"{totp(device.bin_key, drift=drift):06d}")
    page.click("main button[type=submit]")  # the header's button logs out
    page.wait_for_url(lambda url: "two-factor" not in url)
