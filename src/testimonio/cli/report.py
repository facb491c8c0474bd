"""``testimonio report evidence|public|approve``: the evidence packet and the public report.

Both read either a snapshot file (``--snapshot``; ``testimonio snapshot`` writes one) or a
project (``--project``: a fresh snapshot, written and audited by the snapshots app, then the
web's own :mod:`testimonio.web.publishing.generate`, so the generation is recorded with the
output's SHA-256 in the audit chain). They call the reporting core's entry points; nothing
here computes. ``approve`` records an attorney's approval of a project's public report.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from testimonio.errors import InputError

if TYPE_CHECKING:
    from testimonio.reporting import PacketResult, PacketSettings, PublicResult

SNAPSHOT = click.option(
    "--snapshot", "snapshot_path", type=click.Path(exists=True, path_type=Path),
    help="The analysis snapshot (.duckdb file or Parquet folder) to report on.",
)  # fmt: skip
PROJECT = click.option(
    "--project", "slug", help="Report on this project: a fresh snapshot of it, audited, "
    "instead of --snapshot.",
)  # fmt: skip
OUT = click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created if missing). It is replaced whole: a crash or an "
    "error leaves the earlier report or the new one, never a mix; files in it that are not "
    "the report's are kept. Not the current folder or a mount point.",
)  # fmt: skip


@click.group("report")
def report() -> None:
    """Write the evidence packet (for the court) or the public report (for everyone)."""


def _load(path: Path):  # type: ignore[no-untyped-def]
    from testimonio.analysis import load_snapshot

    return load_snapshot(path)


def _one_source(snapshot_path: Path | None, slug: str | None) -> None:
    if (snapshot_path is None) == (slug is None):
        raise InputError("give either --snapshot FILE or --project SLUG", column="--project")


@report.command("evidence")
@SNAPSHOT
@PROJECT
@OUT
@click.option(
    "--bates-prefix",
    default="TESTIMONIO",
    show_default=True,
    help="Prefix of the Bates numbers stamped on every PDF page (PREFIX-000001).",
)
@click.option(
    "--bates-start",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="The first Bates number.",
)
@click.option(
    "--estimate",
    "estimate_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A population estimate: the JSON `testimonio estimate "
    "--json` printed (one object; with `--method all`, the first is the estimate "
    "and the rest its sensitivity panel). With --project and no --estimate, the project's "
    "recorded estimate of its current data is stated, if there is one.",
)
@click.option("--exhibit", "exhibits", multiple=True, type=click.Path(exists=True,
              dir_okay=False, path_type=Path), help="An exhibit PDF to Bates-number after "
              "the packet (repeat, in filing order).")  # fmt: skip
def evidence(
    snapshot_path: Path | None, slug: str | None, out_dir: Path, bates_prefix: str,
    bates_start: int, estimate_path: Path | None, exhibits: tuple[Path, ...],
) -> None:  # fmt: skip
    """The evidence packet: DOCX, Bates-numbered PDF (and exhibits), XLSX of every table.

    The same snapshot and options give the same files; the packet's SHA-256 is printed and
    kept in packet-manifest.json with every file's hash and Bates range. With --project, the
    generation is recorded in the audit log with the packet's and the snapshot's SHA-256.
    """
    from testimonio.reporting import PacketSettings, build_evidence_packet

    _one_source(snapshot_path, slug)
    settings = PacketSettings(
        bates_prefix=bates_prefix, bates_start=bates_start,
        estimate=_estimate(estimate_path), exhibit_pdfs=exhibits,
    )  # fmt: skip
    with Console(stderr=True).status("Building the evidence packet..."):
        if snapshot_path is None:
            result, signed = _project_packet(str(slug), out_dir, settings)
        else:
            result = build_evidence_packet(_load(snapshot_path), out_dir, settings)
            signed = _sign(result)
    for kind, path in sorted(result.paths.items()):
        click.echo(f"{kind}: {path}")
    if signed is not None:
        click.echo(f"signed pdf: {signed}")
    for item in result.bates:
        click.echo(f"Bates {item.label}: {item.path.name}")
    click.echo(f"Packet SHA-256: {result.sha256}")


def _sign(result: PacketResult) -> Path | None:
    """The signed copy of the packet's PDF, if a signing key is configured (docs/reporting.md)."""
    from testimonio.config import load_config
    from testimonio.reporting import SIGNED_PDF, configured_signing_key, sign_pdf

    key = configured_signing_key(load_config())
    if key is None:
        return None
    target = result.paths["pdf"].with_name(SIGNED_PDF)
    sign_pdf(result.paths["pdf"], target, key, f"Evidence packet {result.sha256}")
    return target


def _project_packet(
    slug: str, out_dir: Path, settings: PacketSettings
) -> tuple[PacketResult, Path | None]:
    from dataclasses import replace

    from testimonio.cli.projects import project_named

    project = project_named(slug)
    from testimonio.web.publishing.generate import generate_evidence

    if settings.title == "Evidence packet":
        settings = replace(settings, title=project.name)
    if settings.estimate is None:
        from testimonio.web.publishing.estimates import packet_estimate

        recorded = packet_estimate(project)
        click.echo(f"Population estimate: {recorded.note}", err=True)
        settings = replace(settings, estimate=recorded.estimate)
    outcome = generate_evidence(project, out_dir, None, settings)
    click.echo(f"Snapshot SHA-256: {outcome.snapshot_sha256}")
    return outcome.result, outcome.signed_pdf


def _estimate(path: Path | None) -> dict[str, object] | None:
    if path is None:
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError("the estimate is not JSON", file=str(path)) from None
    if isinstance(value, list):
        if not value or not all(isinstance(row, dict) for row in value):
            raise InputError("the estimate is not a list of estimate objects", file=str(path))
        return {**value[0], "sensitivity": value[1:]}
    if not isinstance(value, dict):
        raise InputError("the estimate is not a JSON object", file=str(path))
    return value


@report.command("public")
@SNAPSHOT
@PROJECT
@OUT
@click.option(
    "--threshold",
    type=click.IntRange(min=1),
    help="Publication threshold k: every count from 1 to k-1 is suppressed (with --snapshot; "
    "default 5). With --project, the project's k is used.",
)
@click.option("--history", "history_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The releases.json of earlier releases (with --snapshot; default: in "
              "--out). With --project, the project's published releases.")  # fmt: skip
def public(
    snapshot_path: Path | None, slug: str | None, out_dir: Path, threshold: int | None,
    history_path: Path | None,
) -> None:  # fmt: skip
    """The public report: HTML (English, Spanish), PDF, tables/*.csv and feed.xml.

    Small cells are suppressed (with complementary cells chosen by an integer program and
    checked by an independent audit); cells published by earlier releases of the same
    snapshot stay as published. The report is a draft unless an attorney approved the
    report of this snapshot (`report approve` or the web's publish page): with --project,
    the project's approval of the fresh snapshot, if any, and its k and published releases
    are used, and the generation is audited with the report's SHA-256.
    """
    from testimonio.reporting import build_public_report

    _one_source(snapshot_path, slug)
    if slug is not None and (threshold is not None or history_path is not None):
        raise InputError(
            "with --project, the project's k and published releases are used; "
            "--threshold and --history go with --snapshot", column="--project",
        )  # fmt: skip
    with Console(stderr=True).status("Suppressing and writing the public report..."):
        if snapshot_path is None:
            result = _project_public(str(slug), out_dir)
        else:
            result = build_public_report(_load(snapshot_path), out_dir, threshold or 5,
                                         history=history_path)  # fmt: skip
    click.echo(f"Public report written to {out_dir} ({len(result.paths)} files).")
    click.echo(
        f"Suppressed: {result.suppressed['primary']} small cells, "
        f"{result.suppressed['complementary']} complementary cells (k = {result.threshold})."
    )
    if result.all_hidden:
        click.echo("Every cell is suppressed: no count reaches the threshold.")


def _project_public(slug: str, out_dir: Path) -> PublicResult:
    from testimonio.cli.projects import project_named

    project = project_named(slug)
    from testimonio.web.publishing.generate import generate_public

    outcome = generate_public(project, out_dir, None)
    click.echo(f"Snapshot SHA-256: {outcome.snapshot_sha256}")
    if outcome.approval is not None:
        approved = outcome.approval.approved_on.isoformat()
        click.echo(f"Published release {outcome.result.release_id} (approved {approved}).")
    elif outcome.approval_outdated:
        click.echo("Draft: the project's approval is of other data or another k; this "
                   "snapshot is not approved.")  # fmt: skip
    else:
        click.echo("Draft: not approved (report approve --project ... --user ATTORNEY).")
    return outcome.result


@report.command("approve")
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option("--snapshot-sha", "snapshot_sha256", required=True,
              help="The SHA-256 of the snapshot whose draft report was read (printed by "
              "`report public --project`).")  # fmt: skip
@click.option("--user", "username", required=True,
              help="The attorney or administrator who approves (their role is checked; "
              "audited by name; never printed in the report).")  # fmt: skip
@click.option("--date", "approved_on", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day of the approval (default: today).")  # fmt: skip
def approve(
    slug: str, snapshot_sha256: str, username: str, approved_on: dt.datetime | None
) -> None:
    """Approve the public report of a drafted snapshot of the project under its k.

    The next `report public --project` (or the web page) of the same data is then the
    published release, dated by this approval's month. A user whose role may not approve is
    refused, and the refusal is audited.
    """
    from testimonio.cli.projects import project_named

    project = project_named(slug)
    from django.contrib.auth.models import User

    from testimonio.web.publishing.actions import do_approve_publication

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InputError(f"there is no active user {username!r}", column="--user")
    day = approved_on.date() if approved_on is not None else None
    approval = do_approve_publication(user, project, snapshot_sha256, day)
    click.echo(f"Approved on {approval.approved_on.isoformat()} (k = {approval.threshold}): "
               f"snapshot {approval.snapshot_sha256}.")  # fmt: skip
