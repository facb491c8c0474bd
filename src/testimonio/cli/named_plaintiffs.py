"""``testimonio people named-plaintiff``: designate (or with ``--remove`` undesignate) a person
a named plaintiff, whose experiences the typicality table measures against the class."""

from __future__ import annotations

import click

from testimonio.errors import InputError


@click.command("named-plaintiff")
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option("--person", "pseudonym", required=True, help="The person's pseudonym (P-000123).")
@click.option("--remove", is_flag=True, help="No longer a named plaintiff.")
def named_plaintiff(slug: str, pseudonym: str, remove: bool) -> None:
    """Mark a person a named plaintiff (audited); typicality is then shown for them by
    ``testimonio analyze`` and in the evidence packet."""
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.cases.models import Person
    from testimonio.web.snapshots.actions import do_mark_named_plaintiff, do_unmark_named_plaintiff

    person = Person.objects.filter(project__slug=slug, pseudonym=pseudonym).first()
    if person is None:
        raise InputError(f"no person {pseudonym} in project {slug!r}", column="--person")
    if remove:
        do_unmark_named_plaintiff(person, None)
        click.echo(f"{pseudonym} is no longer a named plaintiff.")
    else:
        do_mark_named_plaintiff(person, None)
        click.echo(f"{pseudonym} is a named plaintiff.")
