"""``testimonio simulate``: write a synthetic world with ground truth (see docs/simulation.md)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from testimonio.errors import ConfigurationError, InputError
from testimonio.simulation import SimulationConfig


def _progress_callback(progress: Progress) -> object:
    tasks: dict[str, TaskID] = {}

    def report(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = progress.add_task(step, total=total)
        progress.update(tasks[step], completed=done, total=total)

    return report


@click.command()
@click.option(
    "--people",
    "-n",
    type=click.IntRange(min=1),
    default=5000,
    show_default=True,
    help="True population size: everyone who sought asylum at a port in the period.",
)
@click.option(
    "--sources",
    "-k",
    type=click.IntRange(1, 4),
    default=4,
    show_default=True,
    help="Number of documentation sources, in this order: legal-aid intake log (CSV), "
    "shelter KoboToolbox survey, partner spreadsheet (XLSX), filed declarations.",
)
@click.option(
    "--seed",
    "-s",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same seed and options give the same files.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write into (created if missing; files in it are overwritten).",
)
@click.option(
    "--max-documents",
    type=click.IntRange(min=0),
    default=None,
    help="Most declarations written as DOCX/PDF (default 300); the exhibit index "
    "lists all of them.",
)
@click.option(
    "--heterogeneity",
    type=click.FloatRange(min=0.0),
    default=None,
    help="Standard deviation of people's latent visibility to documenters (logit "
    "scale; default 0.8, 0 = every person equally likely to be documented).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def simulate(
    people: int, sources: int, seed: int, out_dir: Path, max_documents: int | None,
    heterogeneity: float | None, quiet: bool,
) -> None:  # fmt: skip
    """Write a synthetic world of asylum seekers turned away at ports, with ground truth.

    Generates PEOPLE people (lone adults, families, unaccompanied minors) who tried to seek
    asylum at US-Mexico ports of entry in 2016-2019, the tactics officers used each time, and
    what each of SOURCES organizations would hold about them: an intake log, a KoboToolbox
    export, a partner's spreadsheet and filed declarations (DOCX/PDF), with typos, nicknames,
    missing dates and duplicates. OUT/truth/ holds the true person of every record, the true
    tactics of every encounter, the true population size and the number ever turned away.
    Every person is fictitious.

    Example: testimonio simulate --people 5000 --sources 4 --seed 7 --out world/
    """
    from testimonio.simulation import generate_world

    changes: dict[str, object] = {"people": people, "sources": sources, "seed": seed}
    if max_documents is not None:
        changes["max_declaration_documents"] = max_documents
    if heterogeneity is not None:
        changes["capture_heterogeneity"] = heterogeneity
    try:
        config = dataclasses.replace(SimulationConfig(), **changes)  # type: ignore[arg-type]
    except ConfigurationError as error:
        raise click.BadParameter(str(error)) from None
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(
            "--out must be a folder, and a file with that name exists", file=str(out_dir)
        )
    if quiet:
        generate_world(config, out_dir)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as progress:
        summary = generate_world(config, out_dir, _progress_callback(progress))  # type: ignore[arg-type]
    click.echo(summary.describe())
