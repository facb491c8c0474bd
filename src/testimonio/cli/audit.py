"""``testimonio audit``: check that the audit log has not been tampered with, and anchor it."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from testimonio.errors import InputError


@click.group()
def audit() -> None:
    """The append-only, keyed hash chain of every change and every view of identity data."""


@audit.command()
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also check the chain still holds this signed checkpoint (from `audit checkpoint`).",
)
def verify(checkpoint_file: Path | None) -> None:
    """Re-hash the audit chain with the audit key and check its end against the sealed head.

    Names every event that was edited, deleted or reordered, and events cut off the end.

    With --checkpoint, also check the checkpoint's signature and that the chain still holds
    the event it names with the hash it names (not shorter, not rewritten). Exits 0 when the
    chain is whole, 1 when it is broken (each problem on its own line), 2 when the checkpoint
    file is not a valid signed checkpoint or a key is missing.
    """
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.crypto import public_key_text, read_checkpoint
    from testimonio.web.audit.keys import audit_key_is_configured, signing_key
    from testimonio.web.audit.models import AuditEvent
    from testimonio.web.audit.verification import check_checkpoint, verify_chain

    checkpoint = None
    if checkpoint_file is not None:
        checkpoint = read_checkpoint(checkpoint_file, public_key_text(signing_key()))
    problems = verify_chain()
    if checkpoint is not None:
        problems += check_checkpoint(checkpoint)
    count = AuditEvent.objects.count()
    if not problems:
        keyed = audit_key_is_configured()
        head = " and its sealed head" if keyed and count else ""
        click.echo(f"The audit chain is whole: {count} events{head} verified.")
        if count and not keyed:
            click.echo(
                "These events are plain SHA-256, written before audit keys: run `testimonio "
                "init` to create the audit key and seal them."
            )
        if checkpoint is not None:
            click.echo(
                f"It holds the checkpoint of {checkpoint.at:%Y-%m-%d %H:%M}Z "
                f"({checkpoint.events} events)."
            )
        return
    for problem in problems:
        where = "head" if problem.sequence is None else f"event #{problem.sequence}"
        click.echo(f"{where}: {problem.reason}", err=True)
    click.echo(
        f"The audit chain is BROKEN: {len(problems)} problem(s) in {count} events.", err=True
    )
    sys.exit(1)


@audit.command()
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it (default: audit-checkpoint-<time>.json here); never overwritten.",
)
def checkpoint(out_file: Path | None) -> None:
    """Write a signed checkpoint of the chain (event count, last hash, time UTC) to a file kept
    where the database is not, and print one line for the case file.

    The chain is verified first: a broken chain is not signed. Keep the file (and the line)
    away from the server; `testimonio audit verify --checkpoint FILE` later proves the chain
    still holds that state. Signed with TESTIMONIO_AUDIT_SIGNING_KEY_FILE (Ed25519).
    """
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.audit.checkpoint import take_checkpoint

    now = datetime.now(UTC)
    path = out_file or Path(f"audit-checkpoint-{now:%Y%m%dT%H%M%SZ}.json")
    document, line = take_checkpoint(now)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        message = "exists already; a checkpoint is never overwritten"
        raise InputError(message, file=str(path)) from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(document + "\n")
    click.echo(f"Checkpoint written to {path}. For the case file:")
    click.echo(line)
