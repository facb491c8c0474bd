"""``testimonio audit``: check that the audit log has not been tampered with."""

from __future__ import annotations

import sys

import click


@click.group()
def audit() -> None:
    """The append-only, hash-chained log of every change and every view of identity data."""


@audit.command()
def verify() -> None:
    """Re-hash every audit event in order; name any that was edited, deleted or reordered.

    Exits 0 when the chain is whole and 1 when it is broken (each problem on its own line).
    """
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.audit.log import verify_chain
    from testimonio.web.audit.models import AuditEvent

    problems = verify_chain()
    count = AuditEvent.objects.count()
    if not problems:
        click.echo(f"The audit chain is whole: {count} events verified.")
        return
    for problem in problems:
        click.echo(f"event #{problem.sequence}: {problem.reason}", err=True)
    click.echo(
        f"The audit chain is BROKEN: {len(problems)} problem(s) in {count} events.", err=True
    )
    sys.exit(1)
