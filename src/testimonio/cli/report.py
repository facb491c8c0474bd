"""``testimonio report evidence|public``: the evidence packet and the public report.

Both read a snapshot file (``testimonio snapshot`` writes one) and call the reporting core's
entry points, ``build_evidence_packet`` and ``build_public_report``; nothing here computes.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from testimonio.errors import InputError

SNAPSHOT = click.option(
    "--snapshot", "snapshot_path", required=True,
    type=click.Path(exists=True, path_type=Path),
    help="The analysis snapshot (.duckdb file or Parquet folder) to report on.",
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


@report.command("evidence")
@SNAPSHOT
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
    "and the rest its sensitivity panel).",
)
@click.option("--exhibit", "exhibits", multiple=True, type=click.Path(exists=True,
              dir_okay=False, path_type=Path), help="An exhibit PDF to Bates-number after "
              "the packet (repeat, in filing order).")  # fmt: skip
def evidence(
    snapshot_path: Path, out_dir: Path, bates_prefix: str, bates_start: int,
    estimate_path: Path | None, exhibits: tuple[Path, ...],
) -> None:  # fmt: skip
    """The evidence packet: DOCX, Bates-numbered PDF (and exhibits), XLSX of every table.

    The same snapshot and options give the same files; the packet's SHA-256 is printed and
    kept in packet-manifest.json with every file's hash and Bates range.
    """
    from testimonio.reporting import PacketSettings, build_evidence_packet

    settings = PacketSettings(
        bates_prefix=bates_prefix, bates_start=bates_start,
        estimate=_estimate(estimate_path), exhibit_pdfs=exhibits,
    )  # fmt: skip
    with Console(stderr=True).status("Building the evidence packet..."):
        result = build_evidence_packet(_load(snapshot_path), out_dir, settings)
    for kind, path in sorted(result.paths.items()):
        click.echo(f"{kind}: {path}")
    for item in result.bates:
        click.echo(f"Bates {item.label}: {item.path.name}")
    click.echo(f"Packet SHA-256: {result.sha256}")


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
@OUT
@click.option(
    "--threshold",
    default=5,
    show_default=True,
    type=click.IntRange(min=1),
    help="Publication threshold k: every count from 1 to k-1 is suppressed.",
)
@click.option("--history", "history_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The releases.json of earlier releases (default: in --out).")  # fmt: skip
def public(snapshot_path: Path, out_dir: Path, threshold: int, history_path: Path | None) -> None:
    """The public report: HTML (English, Spanish), PDF, tables/*.csv and feed.xml.

    Small cells are suppressed (with complementary cells chosen by an integer program and
    checked by an independent audit); cells published by earlier releases of the same
    snapshot stay as published. Without an attorney's approval (given in the web app) the
    report is marked as a draft.
    """
    from testimonio.reporting import build_public_report

    with Console(stderr=True).status("Suppressing and writing the public report..."):
        result = build_public_report(_load(snapshot_path), out_dir, threshold,
                                     history=history_path)  # fmt: skip
    click.echo(f"Public report written to {out_dir} ({len(result.paths)} files).")
    click.echo(
        f"Suppressed: {result.suppressed['primary']} small cells, "
        f"{result.suppressed['complementary']} complementary cells (k = {threshold})."
    )
    if result.all_hidden:
        click.echo("Every cell is suppressed: no count reaches the threshold.")
