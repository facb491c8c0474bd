"""Every change to accounts: users, roles, second-factor enrolment, unlocking. Each is audited.

Enrolment needs a one-time invitation from an administrator (or the CLI), so a password alone
never lets anyone attach their own authenticator to an account.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.errors import InputError, ValidationError
from testimonio.web.accounts.codes import (
    INVITATION_PURPOSE,
    RECOVERY_CODE_COUNT,
    code_hash,
    new_invitation_code,
    new_recovery_code,
    recovery_hash,
)
from testimonio.web.accounts.models import Invitation, Membership, Role
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Project


def generate_password() -> str:
    """A random password for a first login (about 128 bits), meant to be changed."""
    return secrets.token_urlsafe(16)


def do_create_user(
    username: str,
    actor: Actor,
    *,
    password: str | None = None,
    is_superuser: bool = False,
    email: str = "",
) -> tuple[User, str]:
    """Create a user; returns it with its password (generated when not given) to show once.

    The e-mail address (a team member's, for the administrators' records) stays out of the
    audit event like every contact detail."""
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"a user named {username!r} already exists", column="username")
    password = password or generate_password()
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            email=email,
            password=password,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        record_event(actor, "accounts.user.create", user, details={"superuser": is_superuser})
    return user, password


def do_add_member(project: Project, user: User, role: str, actor: Actor) -> Membership:
    """Give ``user`` a role in ``project`` (or change the role they have)."""
    if not user.is_active:
        raise InputError(f"the account {user.username!r} is closed")
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


def do_change_role(project: Project, user: User, role: str, actor: Actor) -> Membership:
    """Change the role ``user`` has in ``project`` (they must have one already).

    The project's last administrator keeps the role: without one, nobody could manage its
    members from the web any more.
    """
    membership = Membership.objects.filter(user=user, project=project).first()
    if membership is None:
        raise InputError(f"{user.username!r} has no role in project {project.slug!r}")
    if role not in Role.values:
        raise ValidationError(
            f"unknown role {role!r}; use one of {', '.join(Role.values)}", column="role"
        )
    if membership.role == role:
        return membership
    if membership.role == Role.ADMIN and is_last_admin(membership):
        raise InputError(f"{user.username!r} is the last administrator of {project.slug!r}")
    with transaction.atomic():
        old_role, membership.role = membership.role, role
        membership.save(update_fields=["role"])
        record_event(
            actor,
            "accounts.membership.role_change",
            membership,
            project_id=project.pk,
            details={"user_id": user.pk, "old_role": old_role, "new_role": role},
        )
    return membership


def is_last_admin(membership: Membership) -> bool:
    """Whether this membership is its project's only administrator role."""
    admins = Membership.objects.filter(project_id=membership.project_id, role=Role.ADMIN)
    return membership.role == Role.ADMIN and not admins.exclude(pk=membership.pk).exists()


def do_remove_member(project: Project, user: User, actor: Actor) -> None:
    """Take away ``user``'s role in ``project`` (they see nothing of it afterwards)."""
    membership = Membership.objects.filter(user=user, project=project).first()
    if membership is None:
        raise InputError(f"{user.username!r} has no role in project {project.slug!r}")
    with transaction.atomic():
        record_event(
            actor,
            "accounts.membership.delete",
            membership,
            project_id=project.pk,
            details={"user_id": user.pk, "role": membership.role},
        )
        membership.delete()


def do_remove_user(user: User, actor: Actor) -> None:
    """Close an account: no login, no roles, no second factor, no pending invitation.

    The row stays (deactivated) so that audit events and custody records keep naming who
    acted; the password is made unusable.
    """
    with transaction.atomic():
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        roles = Membership.objects.filter(user=user).delete()[0]
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        Invitation.objects.filter(user=user, used_at__isnull=True).delete()
        record_event(actor, "accounts.user.remove", user, details={"roles_removed": roles})


def do_unlock_user(username: str, actor: Actor, *, address: str | None = None) -> int:
    """Lift a lockout: clear django-axes' failed attempts for ``username`` (and ``address``,
    the per-address limit, when given). Returns how many attempt records were cleared."""
    with transaction.atomic():
        cleared = axes_reset(username=username)
        if address:
            cleared += axes_reset(ip=address)
        record_event(
            actor,
            "accounts.user.unlock",
            username_target(username),
            details={"address": address, "cleared": cleared},
        )
    return cleared


def username_target(username: str) -> User | str:
    """The user named ``username`` as an audit target, or a neutral label if there is none
    (whatever was typed as a user name, perhaps a password, stays out of the log)."""
    return User.objects.filter(username=username).first() or "unknown user"


def do_invite_user(user: User, actor: Actor, *, valid_for: timedelta) -> str:
    """A one-time enrolment code for ``user``, valid for ``valid_for``; shown once, stored as
    a keyed hash. Earlier unused invitations of the user stop working."""
    if not user.is_active:
        raise InputError(f"the account {user.username!r} is closed")
    code = new_invitation_code()
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at__isnull=True).delete()
        invitation = Invitation.objects.create(
            user=user,
            code_hash=code_hash(code, INVITATION_PURPOSE),
            created_by_id=actor.pk if isinstance(actor, User) else None,
            expires_at=timezone.now() + valid_for,
        )
        record_event(
            actor,
            "accounts.invitation.create",
            invitation,
            details={"user_id": user.pk, "expires_at": invitation.expires_at.isoformat()},
        )
    return code


def do_reset_second_factor(user: User, actor: Actor) -> int:
    """Remove ``user``'s authenticators and recovery codes (a lost or stolen phone); they
    need a new invitation to enrol again. Returns how many devices were removed."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        record_event(actor, "accounts.second_factor.reset", user, details={"devices": removed})
    return removed


def valid_invitation(user: User, code: str) -> Invitation | None:
    """``user``'s unused, unexpired invitation with this code, if there is one."""
    return Invitation.objects.filter(
        user=user,
        code_hash=code_hash(code, INVITATION_PURPOSE),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()


def do_start_enrolment(user: User, invitation: Invitation) -> TOTPDevice:
    """A new authenticator secret for ``user`` (never one made earlier: a secret seen before
    the invitation was used must not become valid); earlier unconfirmed ones are deleted."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        record_event(
            user,
            "accounts.totp.start",
            device,
            details={"user_id": user.pk, "invitation_id": invitation.pk},
        )
    return device


def do_finish_enrolment(user: User, device: TOTPDevice, invitation: Invitation) -> list[str]:
    """Confirm the authenticator (its code was right), use up the invitation, and make fresh
    recovery codes: returned once to show, stored only hashed, each usable once."""
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="recovery codes")
        StaticToken.objects.bulk_create(
            StaticToken(device=recovery, token=recovery_hash(code)) for code in codes
        )
        record_event(
            user,
            "accounts.totp.confirm",
            device,
            details={"user_id": user.pk, "invitation_id": invitation.pk},
        )
        record_event(
            user, "accounts.recovery_codes.create", recovery, details={"count": len(codes)}
        )
    return codes
