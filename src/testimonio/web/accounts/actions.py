"""Every change to accounts: create users, grant and change roles. Each is audited."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.errors import ValidationError
from testimonio.web.accounts.models import Membership, Role
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Project


def generate_password() -> str:
    """A random password for a first login (about 128 bits), meant to be changed."""
    return secrets.token_urlsafe(16)


def do_create_user(
    username: str, actor: Actor, *, password: str | None = None, is_superuser: bool = False
) -> tuple[User, str]:
    """Create a user; returns it with its password (generated when not given) to show once."""
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"a user named {username!r} already exists", column="username")
    password = password or generate_password()
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        record_event(actor, "accounts.user.create", user, details={"superuser": is_superuser})
    return user, password


def do_add_member(project: Project, user: User, role: str, actor: Actor) -> Membership:
    """Give ``user`` a role in ``project`` (or change the role they have)."""
    if role not in Role.values:
        raise ValidationError(
            f"unknown role {role!r}; use one of {', '.join(Role.values)}", column="role"
        )
    with transaction.atomic():
        membership, created = Membership.objects.update_or_create(
            user=user, project=project, defaults={"role": role}
        )
        record_event(
            actor,
            "accounts.membership." + ("create" if created else "update"),
            membership,
            project_id=project.pk,
            details={"user_id": user.pk, "role": role},
        )
    return membership


def do_start_totp_setup(user: User) -> TOTPDevice:
    """An unconfirmed authenticator for ``user`` (reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is not None:
        return device
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        record_event(user, "accounts.totp.start", device, details={"user_id": user.pk})
    return device


def do_confirm_totp_device(user: User, device: TOTPDevice) -> None:
    """Mark the authenticator confirmed once the user has entered a correct code from it."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_event(user, "accounts.totp.confirm", device, details={"user_id": user.pk})
