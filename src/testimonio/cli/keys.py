"""``testimonio keys``: the master key that protects identity data."""

from __future__ import annotations

import click


@click.group()
def keys() -> None:
    """The master key: it wraps each record's data key; identity data is unreadable without it.

    Keep the key file (TESTIMONIO_MASTER_KEY_FILE) off the database's disk and out of its
    backups, and keep a copy somewhere safe: a lost master key cannot be recovered.
    """


@keys.command()
def status() -> None:
    """Show the current master key's id and how many data keys each master key wraps."""
    from testimonio.web.setup import setup_django

    setup_django()
    from django.db.models import Count

    from testimonio.web.keys.models import DataKey
    from testimonio.web.keys.ring import key_ring

    ring = key_ring()
    click.echo(f"Current master key: {ring.current.key_id.hex()}")
    for key in ring.retired:
        click.echo(f"Retired key still present: {key.key_id.hex()}")
    rows = DataKey.objects.values("master_key_id").annotate(count=Count("pk")).order_by()
    for row in rows:
        label = row["master_key_id"] or "(destroyed: erased people)"
        click.echo(f"  data keys wrapped by {label}: {row['count']}")


@keys.command()
@click.confirmation_option(prompt="Rotate the master key now? Back up the database first.")
def rotate() -> None:
    """Replace the master key and re-seal every identity value under new data keys.

    The old key file is renamed master-<id>.retired beside the new one; once you have checked
    that everything reads (`testimonio keys status`), delete it.
    """
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.keys.rotation import do_rotate_master_key

    rotation = do_rotate_master_key(None)
    click.echo(
        f"Rotated {rotation.old_key_id} -> {rotation.new_key_id}: re-sealed "
        f"{rotation.identities} identities and {rotation.narratives} narratives."
    )
    click.echo(f"The old key is now {rotation.retired_file}; delete it once you have checked.")
