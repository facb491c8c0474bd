"""``testimonio estimate``: how many people in total, from a CSV of list membership or a project.

Thin adapter over :mod:`testimonio.estimation`: it reads the file (or, with ``--project`` and no
file, the project's linked persons), runs the method asked for, and prints either a table for
people or one JSON document for scripts (contract in DESIGN.md). Stratified runs also give the
total over strata.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from testimonio.cli.projects import project_named
from testimonio.errors import InputError
from testimonio.estimation import (
    METHODS,
    CaptureHistories,
    EstimateResult,
    LcmcrSettings,
    classes_to_check,
    estimate_by_method,
    method_steps,
    read_capture_histories,
    totals_over_strata,
)
from testimonio.provenance import hash_file

#: The stratum label under which the total over strata is printed and recorded.
TOTAL = "(all strata)"


@click.command()
@click.argument("file", type=click.Path(path_type=Path), required=False)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="loglinear",
    show_default=True,
    help="loglinear: stepwise log-linear model with sparse-data checks; lcmcr: Bayesian "
    "latent class model; dga: Madigan-York model averaging (3-5 lists); all: every "
    "method side by side (sensitivity panel).",
)
@click.option(
    "--seed",
    type=int,
    default=1234,
    show_default=True,
    help="Random seed (bootstrap and sampler); the same seed gives the same numbers.",
)
@click.option(
    "--level",
    type=click.FloatRange(0.5, 0.999),
    default=0.95,
    show_default=True,
    help="Interval level.",
)
@click.option(
    "--bootstrap",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Bootstrap replicates for the log-linear interval (re-runs model selection; "
    "1000 is usual). 0: the model-based interval.",
)
@click.option(
    "--iterations",
    type=click.IntRange(1000),
    default=500_000,
    show_default=True,
    help="LCMCR burn-in sweeps (then 1,000 draws thinned by 100). The reference runs used "
    "100,000, which is too short for some data (see docs/methods.md).",
)
@click.option(
    "--chains",
    type=click.IntRange(2),
    default=4,
    show_default=True,
    help="LCMCR chains, seeded SEED, SEED+1, ...; they must agree (R-hat) for the result to "
    "be sound. Two chains miss a second posterior mode half the time; four, one time in eight.",
)
@click.option(
    "--classes",
    type=click.IntRange(2),
    default=10,
    show_default=True,
    help="LCMCR maximum number of latent classes K.",
)
@click.option(
    "--classes-check",
    "classes_check",
    type=click.IntRange(0),
    default=None,
    help="LCMCR: run the chains again at this second K and warn (result not sound) when the "
    "median moves by more than 10%. Default: the published choice min(2^J-1, 15) for J lists "
    "(HRDAG's verdata) when --classes differs from it; 0: no second run.",
)
@click.option(
    "--stratify",
    metavar="COLUMN",
    default=None,
    help="Estimate separately for each value of COLUMN of FILE (port, period, nationality) and "
    "add the strata up. Without FILE (from a project): port, state or year of each person's "
    "earliest encounter.",
)
@click.option(
    "--project",
    "slug",
    default=None,
    help="Record the run in this project (input's hash, settings, seed, results), so it can be "
    "cited and repeated. Without FILE, estimate from the project's linked persons: each person "
    "is on the sources their records came from (link the project's records first).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of a table.")
def estimate(
    file: Path | None,
    method: str,
    seed: int,
    level: float,
    bootstrap: int,
    iterations: int,
    chains: int,
    classes: int,
    classes_check: int | None,
    stratify: str | None,
    slug: str | None,
    as_json: bool,
) -> None:
    """Estimate how many people in total, documented or not, from FILE.csv or a project.

    FILE has one 0/1 column per list (1 = documented by that list) and an optional `count`
    column giving how many people share that pattern; without `count`, each row is one person.
    Without FILE, `--project SLUG` estimates from that project's linked persons. At least 3
    lists are needed. The result is the estimated total with its interval; read
    docs/methods.md before quoting it.
    """
    if file is not None:
        loaded = read_capture_histories(file, stratify=stratify)
        digest = hash_file(file)
    elif slug is not None:
        loaded, digest = _project_histories(slug, stratify)
    else:
        raise click.UsageError("give FILE, or --project SLUG to estimate from a project")
    settings = LcmcrSettings(
        classes=classes, burn_in=iterations, seeds=tuple(seed + n for n in range(chains))
    )
    strata = loaded if isinstance(loaded, dict) else {"": loaded}
    outcomes = {
        name: _run(
            histories, method, settings, level, seed, bootstrap, as_json,
            _second_k(histories, method, classes, classes_check),
        )
        for name, histories in strata.items()
    }  # fmt: skip
    totals = totals_over_strata(outcomes) if stratify is not None else []
    if slug is not None:
        run_settings = {
            "method": method,
            "level": level,
            "bootstrap": bootstrap,
            "iterations": iterations,
            "classes": classes,
            "classes_check": classes_check,
            "stratify": stratify,
            "file": file.name if file is not None else None,
            "input": "file" if file is not None else "project persons",
        }
        recorded = {**outcomes, TOTAL: totals} if totals else outcomes
        _record_in_project(slug, recorded, digest, run_settings, seed)
    if as_json:
        click.echo(json.dumps(_as_json(outcomes, totals, method, stratify), indent=2))
    else:
        for name, results in outcomes.items():
            _print_table(results, name)
        if totals:
            _print_table(totals, f"{TOTAL}, sum over {len(outcomes)} strata")


def _project_histories(
    slug: str, stratify: str | None
) -> tuple[CaptureHistories | dict[str, CaptureHistories], str]:
    project = project_named(slug)  # sets Django up
    from testimonio.web.linking.histories import project_capture_histories

    return project_capture_histories(project, stratify=stratify)


def _record_in_project(
    slug: str,
    outcomes: dict[str, list[EstimateResult]],
    digest: str,
    settings: dict[str, object],
    seed: int,
) -> None:
    project = project_named(slug)  # sets Django up
    from testimonio.web.linking.estimates import do_record_estimate_runs

    runs = do_record_estimate_runs(
        project, outcomes, None, input_hash=digest, settings=settings, seed=seed
    )
    click.echo(f"Recorded {len(runs)} estimate run(s) in project {slug!r}.", err=True)


def _run(
    histories: CaptureHistories,
    method: str,
    settings: LcmcrSettings,
    level: float,
    seed: int,
    bootstrap: int,
    quiet: bool,
    check_classes: int | None,
) -> list[EstimateResult]:
    steps = method_steps(method, settings, bootstrap, check_classes=check_classes)
    with _progress(steps, quiet) as advance:
        return estimate_by_method(
            histories,
            method,
            settings=settings,
            level=level,
            seed=seed,
            bootstrap=bootstrap,
            progress=advance,
            check_classes=check_classes,
        )


def _second_k(
    histories: CaptureHistories, method: str, classes: int, asked: int | None
) -> int | None:
    """The K to check the LCMCR result against: the one asked for, else the published choice
    when it differs from ``classes``; none for methods without LCMCR or with ``0``."""
    if method not in ("lcmcr", "all") or asked == 0:
        return None
    if asked is not None:
        return asked if asked != classes else None
    return classes_to_check(histories, classes)


@contextmanager
def _progress(total: int, quiet: bool) -> Iterator[Callable[[int], None] | None]:
    if total == 0:
        yield None
        return
    columns = (TextColumn("estimating"), BarColumn(), TimeRemainingColumn())
    with Progress(
        *columns, console=Console(stderr=True), transient=True, disable=quiet
    ) as progress:
        task = progress.add_task("estimating", total=total)
        yield lambda steps: progress.advance(task, steps)


def _as_json(
    outcomes: dict[str, list[EstimateResult]],
    totals: list[EstimateResult],
    method: str,
    stratify: str | None,
) -> object:
    def one(results: list[EstimateResult]) -> object:
        payload = [_without_trace(result.to_dict()) for result in results]
        return payload if method == "all" else payload[0]

    if stratify is None:
        return one(outcomes[""])
    return {
        "stratify": stratify,
        "strata": {name: one(res) for name, res in outcomes.items()},
        "total": one(totals),
    }


def _without_trace(data: dict[str, object]) -> dict[str, object]:
    diagnostics = data.get("diagnostics")
    if isinstance(diagnostics, dict):
        diagnostics.pop("trace", None)
    return data


def _print_table(results: list[EstimateResult], stratum: str) -> None:
    if not results:
        raise InputError("no estimate was produced")
    first = results[0]
    title = f"People in total (observed {first.observed:,})"
    table = Table(title=f"{stratum}: {title}" if stratum else title)
    for heading in ("method", "estimate", f"{first.level:.0%} interval", "sound", "model"):
        table.add_column(heading)
    for result in results:
        upper = "no upper limit" if result.upper is None else f"{result.upper:,.0f}"
        lower = "-" if result.lower is None else f"{result.lower:,.0f}"
        table.add_row(
            result.method,
            f"{result.estimate:,.0f}",
            f"{lower} to {upper}",
            "yes" if result.sound else "NO",
            result.model,
        )
    console = Console()
    console.print(table)
    for result in results:
        for warning in result.warnings:
            console.print(f"[yellow]warning[/] ({result.method}): {warning}")
