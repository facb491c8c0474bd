"""``testimonio people``: legal holds and erasure of a person's identifying data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from testimonio.errors import InputError

if TYPE_CHECKING:
    from testimonio.web.cases.models import Person


@click.group()
def people() -> None:
    """Legal holds, erasure (crypto-shredding) and blind-index upkeep for the people."""


@people.command()
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@click.argument("pseudonym")
def erase(slug: str, reason: str, pseudonym: str) -> None:
    """Erase PSEUDONYM's names, birth date, phone, documents numbers and narratives for good.

    Counts and codings stay. Refused while the person is under legal hold.
    """
    person = _person(slug, pseudonym)
    from testimonio.web.cases.actions import do_erase_person

    destroyed = do_erase_person(person, None, reason=reason)
    click.echo(f"Erased {pseudonym}: {destroyed} data keys destroyed.")


@people.command()
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@click.option("--release", is_flag=True, help="Lift the hold instead of placing it.")
@click.argument("pseudonym")
def hold(slug: str, reason: str, release: bool, pseudonym: str) -> None:
    """Place (or with --release lift) a legal hold: erasure is refused while it holds."""
    person = _person(slug, pseudonym)
    from testimonio.web.cases.actions import do_set_legal_hold

    do_set_legal_hold(person, not release, None, reason=reason)
    click.echo(f"{pseudonym}: legal hold {'lifted' if release else 'placed'}.")


@people.command("reapply-erasures")
def reapply_erasures() -> None:
    """After restoring a backup, erase again everyone erased since (from the erasure ledger)."""
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.cases.actions import do_reapply_erasures

    click.echo(f"Erasures re-applied: {do_reapply_erasures(None)} data keys destroyed again.")


@people.command()
def reindex() -> None:
    """Recompute every record's blind indexes (the exact lookups' keyed HMACs).

    Run once after an upgrade that adds an index, so records written before it can be found
    by it; afterwards it changes nothing. Values are opened in memory only; audited (counts).
    """
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.keys.reindex import do_reindex_identities

    read, updated = do_reindex_identities(None)
    click.echo(f"Blind indexes checked for {read} records; {updated} updated.")


def _person(slug: str, pseudonym: str) -> Person:
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.cases.models import Person

    person = Person.objects.filter(project__slug=slug, pseudonym=pseudonym).first()
    if person is None:
        raise InputError(f"no person {pseudonym} in project {slug!r}", column="pseudonym")
    return person


def _register() -> None:
    from testimonio.cli.named_plaintiffs import named_plaintiff

    people.add_command(named_plaintiff)


_register()
