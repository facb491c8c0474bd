"""``testimonio demo``: a demonstration instance, and the pipeline run on a synthetic world.

Steps, each shown as it runs: set up the instance (as ``init``) with the shipped vocabulary and an
example project; simulate what four organisations would hold about a population whose truth is
known and import them into a project; link the project's records into people; read a few of
the world's declarations, link them to their declarants, number them as exhibits and code their
paragraphs (two coders); estimate how many
people were turned away in total from the overlap of the lists, recorded as estimation runs;
export the project pseudonymously; compare with the truth; write the project's analysis
snapshot and print the standard panel (people turned away, repeatedly, after expressing fear,
each tactic) with intervals. Everything is written under
TESTIMONIO_HOME, as the web app and the commands ``link --project``, ``estimate --project`` and
``export`` would write it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from testimonio.cli.instance import (
    describe_database,
    ensure_first_admin,
    migrate_database,
    prepare_home,
)
from testimonio.config import load_config

if TYPE_CHECKING:
    from testimonio.estimation import EstimateResult
    from testimonio.simulation import WorldSummary
    from testimonio.web.cases.models import Project

TABULAR = (".csv", ".xlsx")
WORLD_SLUG = "synthetic-world"
SOURCE_KINDS = {
    "legal_aid": "intake_log",
    "shelter_survey": "survey",
    "partner_spreadsheet": "spreadsheet",
    "declarations": "declarations",
}


@click.command()
@click.option(
    "--admin",
    "admin_name",
    default="admin",
    show_default=True,
    help="User name of the administrator to create if there is none.",
)
@click.option(
    "--people",
    default=5000,
    show_default=True,
    type=click.IntRange(200, 200_000),
    help="Size of the synthetic population.",
)
@click.option("--seed", default=2017, show_default=True, help="Seed of the synthetic world.")
@click.option(
    "--skip-world",
    is_flag=True,
    help="Only the instance and the example project (no simulation, linkage, estimate).",
)
def demo(admin_name: str, people: int, seed: int, skip_world: bool) -> None:
    """Set up a demonstration instance in TESTIMONIO_HOME and run the pipeline on a synthetic world.

    Creates the instance if needed (as `testimonio init`), loads the shipped turn-backs
    vocabulary and builds an example project of invented people through the same actions the
    web app uses. Then simulates what four organisations would hold about PEOPLE asylum seekers
    (every person fictitious, the truth known), imports their files into the project
    'Synthetic world', links its records into people (leaving uncertain pairs in the review
    queue), reads twelve of the world's declarations and codes their paragraphs (the packet's
    exhibits), estimates how many people were turned away in total (recorded in the project, and
    printed next to the true number), exports the project pseudonymously, and ends by writing
    the project's analysis snapshot (demo/snapshot.duckdb), printing its standard panel of
    people turned away with 95% intervals, and writing the evidence packet (demo/packet: DOCX,
    Bates-numbered PDF, XLSX) and the public report (demo/public: HTML in English and Spanish,
    PDF, suppressed tables/*.csv, feed.xml; a draft until an attorney approves it). Use a
    separate TESTIMONIO_HOME for real work.
    """
    config = load_config()
    prepare_home(config)
    migrate_database()
    first = ensure_first_admin(admin_name)
    project = _build_example(admin_name)
    if skip_world:
        _report_instance(config.home, project, first, admin_name)
        return
    folder = config.home / "demo"
    world = _simulate(people, seed, folder / "world")
    world_project = _import_world(world, admin_name)
    linked = _link(world_project, seed)
    _declarations(world_project, world, seed)
    panel = _estimate(world_project, world, folder / "estimates.json", seed)
    _export(world_project, folder / "records.xlsx")
    _report(config.home, project, first, admin_name, world, linked, panel, folder)
    _snapshot_and_panel(world_project, world, folder / "snapshot.duckdb")
    _publish(world_project, folder)


def _simulate(people: int, seed: int, out: Path) -> WorldSummary:
    from testimonio.simulation import SimulationConfig, generate_world

    click.echo(f"1/4 Simulating {people:,} people and four organisations' lists ...")
    world = generate_world(SimulationConfig(people=people, sources=4, seed=seed), out)
    click.echo(world.describe())
    return world


def _import_world(world: WorldSummary, admin_name: str) -> Project:
    """Import each organisation's file into a project, as its reviewed mapping says."""
    from django.contrib.auth.models import User

    from testimonio.ingest import read_path, validate_table
    from testimonio.simulation import reviewed_mapping
    from testimonio.web.accounts.actions import do_add_member
    from testimonio.web.cases.actions import do_create_project, do_create_source
    from testimonio.web.cases.models import Project, Source
    from testimonio.web.cases.vocabulary_bundle import bundle_of
    from testimonio.web.imports.actions import do_import_rows

    click.echo("2/4 Importing the four organisations' files into the project 'Synthetic world' ...")
    project = Project.objects.filter(slug=WORLD_SLUG).first()
    if project is None:
        vocabulary = Project.objects.get(slug="example-turnbacks").vocabulary
        project = do_create_project("Synthetic world", vocabulary, None, slug=WORLD_SLUG)
        admin = User.objects.filter(username=admin_name).first()
        if admin is not None:
            do_add_member(project, admin, "admin", None)
    bundle = bundle_of(project.vocabulary)
    for summary in world.sources:
        table = read_path(_list_file(summary.files)).table()
        rows, errors = validate_table(table, reviewed_mapping(table, bundle, summary.key), bundle)
        source = Source.objects.filter(project=project, name=summary.key).first()
        source = source or do_create_source(
            project, summary.key, None, kind=SOURCE_KINDS.get(summary.key, "other")
        )
        # The simulated lists carry the mistakes real ones do (a birth date after the
        # encounter, from Excel swapping day and month): as a careful user would, the demo
        # leaves such rows out and says which, rather than stopping the whole list.
        result = do_import_rows(source, rows, errors, None, skip_invalid=True)
        click.echo(
            f"    {summary.key}: {result.created:,} new, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged"
            + (f"; {len({e.row for e in errors}):,} row(s) left out" if errors else "")
        )
        for error in errors[:3]:
            click.echo(f"      left out: row {error.row}, column {error.column}: {error.problem}")
    return project


def _link(project: Project, seed: int) -> int:
    """Link the project's records into persons (as the web page and ``link --project`` do)."""
    from testimonio.web.linking.actions import do_run_linkage

    click.echo("3/4 Linking the project's records: which records are the same person ...")
    run = do_run_linkage(project, None, seed=seed)
    metrics = run.metrics
    click.echo(
        f"    {metrics['records']:,} records -> {metrics['people_after']:,} people; "
        f"{metrics['review_pairs']:,} uncertain pairs wait in the review queue"
    )
    return int(metrics["people_after"])


def _declarations(project: Project, world: WorldSummary, seed: int) -> None:
    """A few of the world's declarations read, linked, numbered and coded (the exhibits)."""
    from testimonio.cli.demo_declarations import add_demo_declarations

    start = time.perf_counter()
    added = add_demo_declarations(project, world, seed=seed)
    click.echo(
        f"    Declarations: {added.declarations} read, {added.exhibits} linked and numbered as "
        f"exhibits, {added.codings} paragraph codings by two coders "
        f"({time.perf_counter() - start:.1f} s)"
    )


def _estimate(project: Project, world: WorldSummary, out: Path, seed: int) -> list[EstimateResult]:
    """Estimate from the project's linked persons and record the runs in the project."""
    from testimonio.estimation import dga_estimate, loglinear_estimate
    from testimonio.web.linking.estimates import do_record_estimate_runs
    from testimonio.web.linking.histories import project_capture_histories

    click.echo("4/4 Estimating how many people were turned away in total ...")
    histories, digest = project_capture_histories(project)
    if isinstance(histories, dict):  # only when stratified, which the demo does not ask
        raise TypeError("expected the project's pooled capture histories")
    panel = [loglinear_estimate(histories, rule, seed=seed) for rule in ("stepwise", "main", "bic")]
    panel.append(dga_estimate(histories))
    do_record_estimate_runs(
        project,
        {"": panel},
        None,
        input_hash=digest,
        settings={"methods": [result.method for result in panel], "source": "demo"},
        seed=seed,
    )
    payload: dict[str, Any] = {
        "truth_ever_turned_away": world.ever_turned_away,
        "people_linked": int(histories.observed),
        "estimates": [result.to_dict() for result in panel],
    }
    out.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return panel


def _export(project: Project, out: Path) -> None:
    """The project's records and encounters, pseudonymous (as ``testimonio export``)."""
    from testimonio.web.cases.actions.exports import do_export_project

    result = do_export_project(project, None, out)
    click.echo(f"    Pseudonymous export: {result.rows:,} rows ({out})")


def _report(
    home: Path,
    project: Project,
    first: tuple[str, str] | None,
    admin_name: str,
    world: WorldSummary,
    linked: int,
    panel: list[EstimateResult],
    folder: Path,
) -> None:
    click.echo("")
    click.echo(
        f"People on at least one list: {linked:,} linked (truth: {world.documented_people:,})"
    )
    click.echo(f"People ever turned away (truth): {world.ever_turned_away:,}")
    for result in panel:
        interval = (
            f"[{result.lower:,.0f}, {result.upper:,.0f}]"
            if result.lower is not None and result.upper is not None
            else "[no bound]"
        )
        flag = "" if result.sound else "  (flagged: not sound)"
        click.echo(
            f"  {result.method:<20} {result.estimate:>10,.0f}  {result.level:.0%} {interval}{flag}"
        )
    low, high = _panel_span(panel)
    click.echo(
        f"  Span of the panel's intervals: [{low:,.0f}, "
        + ("no upper bound" if high == float("inf") else f"{high:,.0f}")
        + "] (the figure docs/methods.md advises quoting)"
    )
    missed = [r.method for r in panel if not _covers(r, world.ever_turned_away)]
    if missed:
        click.echo(
            f"  Not covering the true number: {', '.join(missed)}. In this world some families are "
            "easier for every organisation to find and organisations work in different states; "
            "read docs/methods.md ('what the demo world teaches') before quoting any one method."
        )
    click.echo("")
    click.echo(f"Synthetic world: {world.out_dir}   results: {folder}")
    click.echo(
        "Project 'Synthetic world' in the web app: the four organisations' imported lists, "
        "linked into persons, the review queue and the recorded estimates"
    )
    _report_instance(home, project, first, admin_name)


def _snapshot_and_panel(project: Project, world: WorldSummary, path: Path) -> None:
    """Write the world project's analysis snapshot (audited) and print its standard panel."""
    from testimonio.analysis import analysis_data, load_snapshot, standard_panel
    from testimonio.cli.analyze import panel_lines
    from testimonio.web.snapshots.actions import do_write_snapshot

    if path.is_file():  # the demo's own snapshot of an earlier run: the project has moved on
        path.unlink()
    manifest = do_write_snapshot(project, path, None)
    snapshot = load_snapshot(path)
    figures = standard_panel(analysis_data(snapshot))
    snapshot.connection.close()
    click.echo("")
    click.echo(
        f"The pattern in the synthetic world: people documented and turned away, with 95% "
        f"intervals (truth: {world.documented_people:,} people on a list)"
    )
    click.echo("\n".join(panel_lines(figures)))
    click.echo(f"Analysis snapshot: {path} (SHA-256 {manifest['snapshot_sha256'][:16]}…)")
    click.echo(f"Explore it: testimonio analyze --project {project.slug} --snapshot {path}")


def _publish(project: Project, folder: Path) -> None:
    """The evidence packet and the public report of the project, as `report evidence|public
    --project` makes them: each from a fresh (audited) snapshot, each generation audited with
    its SHA-256."""
    from testimonio.reporting import PacketSettings
    from testimonio.web.publishing.estimates import packet_estimate
    from testimonio.web.publishing.generate import generate_evidence, generate_public

    estimate = packet_estimate(project)  # the runs _estimate just recorded
    click.echo("Writing the evidence packet and the public report ...")
    settings = PacketSettings(title=project.name, estimate=estimate.estimate)
    packet = generate_evidence(project, folder / "packet", None, settings).result
    outcome = generate_public(project, folder / "public", None)
    public = outcome.result
    bates = packet.bates[0].label if packet.bates else "no pages"
    click.echo(f"Evidence packet: {folder / 'packet'} ({bates}; SHA-256 {packet.sha256[:16]}…)")
    state = "published" if outcome.approval else "a draft until an attorney approves it"
    click.echo(
        f"Public report ({state}): {folder / 'public'} "
        f"(k = {public.threshold}: {public.suppressed['primary']} small cells and "
        f"{public.suppressed['complementary']} complementary cells suppressed; snapshot "
        f"{outcome.snapshot_sha256[:16]}…)"
    )


def _panel_span(panel: list[EstimateResult]) -> tuple[float, float]:
    """Lowest lower limit to highest upper limit over the methods (no bound counts as open)."""
    lowers = [r.lower if r.lower is not None else 0.0 for r in panel]
    uppers = [r.upper if r.upper is not None else float("inf") for r in panel]
    return min(lowers), max(uppers)


def _covers(result: EstimateResult, truth: int) -> bool:
    lower = result.lower if result.lower is not None else 0
    upper = result.upper if result.upper is not None else float("inf")
    return lower <= truth <= upper


def _report_instance(
    home: Path, project: Project, first: tuple[str, str] | None, admin_name: str
) -> None:
    click.echo(f"Demo instance: {home}  (database {describe_database(load_config())})")
    click.echo(f"Example project in the web app: {project.name}")
    if first:
        password, code = first
        click.echo(f"Log in as {admin_name} with password {password} (shown only once),")
        click.echo(f"then set up the second factor with the enrolment code {code}.")
    click.echo("Open the web app: testimonio serve, then http://127.0.0.1:8000/")


def _list_file(files: tuple[Path, ...]) -> Path:
    """The table among a source's files (declarations also have DOCX/PDF documents)."""
    return next(path for path in files if path.suffix in TABULAR)


def _build_example(admin_name: str) -> Project:
    from testimonio.web.setup import setup_django

    setup_django()
    from django.contrib.auth.models import User

    from testimonio.vocab import bundled_path, read_bundle
    from testimonio.web.cases.actions import do_load_vocabulary
    from testimonio.web.cases.examples import create_example_project

    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    admin = User.objects.filter(username=admin_name).first()
    return create_example_project(vocabulary, admin)
