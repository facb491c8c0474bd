"""Production settings pass Django's own deployment checklist."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    unsafe_for_production = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unsafe_for_production}
    env.update(
        TESTIMONIO_HOME=str(tmp_path),
        TESTIMONIO_SECRET_KEY=secrets.token_urlsafe(64),
        TESTIMONIO_DEBUG="false",
        TESTIMONIO_SECURE="true",
        TESTIMONIO_ALLOWED_HOSTS="testimonio.example.org",
        DJANGO_SETTINGS_MODULE="testimonio.web.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_passwords_are_hashed_with_argon2_in_every_deployment() -> None:
    from testimonio.web import settings

    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.Argon2PasswordHasher"]
