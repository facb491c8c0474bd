"""``testimonio intake``: upkeep of the intake form's sealed drafts."""

from __future__ import annotations

import click


@click.group()
def intake() -> None:
    """Upkeep of the web intake form (its sealed drafts)."""


@intake.command("purge-drafts")
def purge_drafts() -> None:
    """Delete intake drafts not saved for TESTIMONIO_INTAKE_DRAFT_DAYS, with their keys.

    The intake pages purge them whenever they are opened; run this daily (cron, a systemd
    timer) so a draft nobody came back to is deleted on time anyway. Each one is audited.
    """
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.intake.actions import do_purge_intake_drafts

    click.echo(f"Purged {do_purge_intake_drafts(None)} expired intake draft(s).")
