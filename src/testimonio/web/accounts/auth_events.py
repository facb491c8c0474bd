"""Logins, failed logins, lockouts and second factors as audit events.

Connected to Django's and django-axes' signals in :meth:`AccountsConfig.ready`. A failed
login names the account only if it exists: what was typed as a user name (sometimes a
password, by mistake) never reaches the log. The client's address is recorded so that a
password-spraying run shows up as many accounts failing from one address.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest

from testimonio.web.accounts.actions import username_target
from testimonio.web.audit.log import Actor, record_event


def client_address(request: HttpRequest | None) -> str | None:
    """The address django-axes counted the attempt against (REMOTE_ADDR otherwise)."""
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


def audit_auth_event(
    actor: Actor, action: str, target: User | str, request: HttpRequest | None, **details: Any
) -> None:
    """Append one account event in its own transaction (signals fire outside any action)."""
    with transaction.atomic():
        record_event(actor, action, target, details={"address": client_address(request), **details})


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_auth_event(user, "accounts.login", user, request)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    target = username_target(str(credentials.get("username", "")))
    audit_auth_event(None, "accounts.login.fail", target, request)


def on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, ip_address: str | None,
    **kwargs: Any,
) -> None:  # fmt: skip
    target = username_target(username or "")
    audit_auth_event(None, "accounts.login.lockout", target, request)
