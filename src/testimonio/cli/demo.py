"""``testimonio demo``: an instance with the shipped vocabulary and an example project."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from testimonio.cli.instance import (
    describe_database,
    ensure_first_admin,
    migrate_database,
    prepare_home,
)
from testimonio.config import load_config

if TYPE_CHECKING:
    from testimonio.web.cases.models import Project


@click.command()
@click.option(
    "--admin",
    "admin_name",
    default="admin",
    show_default=True,
    help="User name of the administrator to create if there is none.",
)
def demo(admin_name: str) -> None:
    """Set up a demonstration instance in TESTIMONIO_HOME and tell where to look.

    Creates the instance if needed (as `testimonio init`), loads the shipped turn-backs
    vocabulary and builds an example project of invented people through the same actions
    the web app uses. Use a separate TESTIMONIO_HOME for real work.
    """
    config = load_config()
    prepare_home(config)
    migrate_database()
    password = ensure_first_admin(admin_name)
    project = _build_example(admin_name)
    click.echo(f"Demo instance: {config.home}  (database {describe_database(config)})")
    click.echo(f"Example project: {project.name}")
    if password:
        click.echo(f"Log in as {admin_name} with password {password} (shown only once).")
    click.echo("Open the web app: testimonio serve, then http://127.0.0.1:8000/")


def _build_example(admin_name: str) -> Project:
    from django.contrib.auth.models import User

    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.cases.actions import do_load_vocabulary
    from testimonio.web.cases.examples import create_example_project

    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    admin = User.objects.filter(username=admin_name).first()
    return create_example_project(vocabulary, admin)
