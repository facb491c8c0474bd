"""``testimonio snapshot``: write a project's pseudonymised analysis snapshot."""

from __future__ import annotations

from pathlib import Path

import click

from testimonio.errors import InputError


@click.command("snapshot")
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="FILE.duckdb (one DuckDB file) or a new folder (Parquet files and manifest.json).",
)
def snapshot(slug: str, out: Path) -> None:
    """Write the project's analysis snapshot to OUT (docs/snapshot.md).

    The tables analysis reads: persons (pseudonyms), records without identity fields,
    encounters, codings with vocabulary labels, sources and list membership, as linked by
    the project's latest linkage run, with a manifest of row counts and SHA-256 per table. No
    name, birth date, phone, narrative, file name or row number is written. The act is
    recorded in the audit log. A project without records or never linked is refused.
    """
    if out.exists():
        raise InputError("the snapshot path already exists; choose a new one", file=str(out))
    from testimonio.cli.projects import project_named

    project = project_named(slug)
    from testimonio.web.snapshots.actions import do_write_snapshot

    manifest = do_write_snapshot(project, out, None)
    rows = ", ".join(f"{name} {table['rows']:,}" for name, table in manifest["tables"].items())
    click.echo(f"Snapshot of {slug} written to {out}: {rows}.")
    click.echo(f"Snapshot SHA-256: {manifest['snapshot_sha256']}")
