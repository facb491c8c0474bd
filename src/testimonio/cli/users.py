"""``testimonio users`` and ``testimonio members``: accounts, enrolment codes, lockouts, roles.

Every change goes through an audited ``do_*`` action of :mod:`testimonio.web.accounts.actions`.
An unknown user, project or role is one line on stderr and exit code 2.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import click

from testimonio.errors import InputError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

INVITATION_HOURS = 72


def _setup() -> None:
    from testimonio.web.setup import setup_django

    setup_django()


def user_named(username: str) -> User:
    """Set Django up and return the user ``username``, or one line saying there is none."""
    _setup()
    from django.contrib.auth.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise InputError(f"there is no user {username!r}", column="USERNAME")
    return user


@click.group()
def users() -> None:
    """Create, list and close accounts; give enrolment codes for the second factor; unlock."""


@users.command("add")
@click.option("--superuser", is_flag=True, help="An instance administrator (needs 2FA).")
@click.argument("username")
def add_user(superuser: bool, username: str) -> None:
    """Create USERNAME with a generated password, shown once (give roles with `members add`)."""
    _setup()
    from testimonio.web.accounts.actions import do_create_user

    _, password = do_create_user(username, None, is_superuser=superuser)
    click.echo(f"Created {username}   password: {password}   (shown only once)")
    click.echo(f"Attorneys and administrators also need `testimonio users invite {username}`.")


@users.command("invite")
@click.option(
    "--hours",
    default=INVITATION_HOURS,
    show_default=True,
    type=click.IntRange(1, 24 * 14),
    help="How long the code stays valid.",
)
@click.option(
    "--reset",
    is_flag=True,
    help="First remove their authenticator and recovery codes (a lost or stolen phone).",
)
@click.argument("username")
def invite(hours: int, reset: bool, username: str) -> None:
    """Print a one-time enrolment code that lets USERNAME set up an authenticator app.

    After their password, the two-factor page asks for it, then shows a fresh secret. Only a
    hash of the code is stored; a new invitation replaces any unused one.
    """
    user = user_named(username)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testimonio.web.accounts.actions import do_invite_user, do_reset_second_factor

    if reset:
        do_reset_second_factor(user, None)
    elif TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise InputError(f"{username!r} already has an authenticator; --reset replaces it")
    code = do_invite_user(user, None, valid_for=timedelta(hours=hours))
    click.echo(f"Enrolment code for {username}: {code}")
    click.echo(
        f"It works once, for {hours} hours: log in with the password, then enter it on the "
        "two-factor page (/two-factor/). Give it to them in person or by another channel."
    )


@users.command("list")
def list_users() -> None:
    """Every account: active or closed, second factor set up, roles per project."""
    _setup()
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    for user in User.objects.order_by("username").prefetch_related("memberships__project"):
        roles = ", ".join(f"{m.project.slug}:{m.role}" for m in user.memberships.all())
        flags = [
            "active" if user.is_active else "closed",
            "superuser" if user.is_superuser else "",
            "2FA" if user.pk in enrolled else "no 2FA",
        ]
        click.echo(f"{user.username:<20} {' '.join(f for f in flags if f):<26} {roles or '-'}")


@users.command("remove")
@click.argument("username")
def remove_user(username: str) -> None:
    """Close USERNAME's account: no login, roles, second factor or invitation (kept for the
    audit log's sake, deactivated)."""
    user = user_named(username)
    from testimonio.web.accounts.actions import do_remove_user

    do_remove_user(user, None)
    click.echo(f"Closed the account {username}.")


@users.command("unlock")
@click.option("--address", help="Also lift the lockout of this client address (IP).")
@click.argument("username")
def unlock(address: str | None, username: str) -> None:
    """Lift a lockout after failed passwords (django-axes' reset) for USERNAME."""
    user_named(username)
    from testimonio.web.accounts.actions import do_unlock_user

    cleared = do_unlock_user(username, None, address=address)
    click.echo(f"Unlocked {username} ({cleared} failed-attempt records cleared).")


@click.group()
def members() -> None:
    """Who has which role in a project (admin, attorney, intake, analyst, viewer)."""


@members.command("add")
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option("--role", required=True, help="admin, attorney, intake, analyst or viewer.")
@click.argument("username")
def add_member(slug: str, role: str, username: str) -> None:
    """Give USERNAME a role in the project (or change the one they have)."""
    user = user_named(username)
    from testimonio.cli.projects import project_named
    from testimonio.web.accounts.actions import do_add_member

    project = project_named(slug)
    do_add_member(project, user, role, None)
    click.echo(f"{username} is {role} in {slug}.")


@members.command("remove")
@click.option("--project", "slug", required=True, help="Project slug.")
@click.argument("username")
def remove_member(slug: str, username: str) -> None:
    """Take away USERNAME's role in the project."""
    user = user_named(username)
    from testimonio.cli.projects import project_named
    from testimonio.web.accounts.actions import do_remove_member

    do_remove_member(project_named(slug), user, None)
    click.echo(f"{username} no longer has a role in {slug}.")


@members.command("list")
@click.option("--project", "slug", required=True, help="Project slug.")
def list_members(slug: str) -> None:
    """The project's members and their roles."""
    from testimonio.cli.projects import project_named

    project = project_named(slug)
    from testimonio.web.accounts.models import Membership

    for membership in Membership.objects.filter(project=project).select_related("user"):
        click.echo(f"{membership.user.username:<20} {membership.role}")
