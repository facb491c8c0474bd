"""``testimonio custody``: check the chain of custody of stored documents."""

from __future__ import annotations

import sys

import click


@click.group()
def custody() -> None:
    """Declarations and attachments: stored encrypted, hashed at intake, never modified."""


@custody.command()
def verify() -> None:
    """Decrypt and re-hash every stored document against the SHA-256 recorded at intake.

    Exits 0 when all match and 1 otherwise (each damaged or missing document on its own line).
    """
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.evidence.custody import verify_custody

    checked, problems = verify_custody()
    if not problems:
        click.echo(f"Custody verified: {checked} documents match their intake hashes.")
        return
    for problem in problems:
        click.echo(f"document {problem.document_id}: {problem.reason}", err=True)
    click.echo(f"Custody BROKEN: {len(problems)} of {checked} documents.", err=True)
    sys.exit(1)
