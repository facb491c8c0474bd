"""``testimonio analyze``: the standard panel over people and events, with intervals.

Reads a snapshot (a fresh one of the project, or ``--snapshot FILE``), computes the panel and
the breakdowns asked for, prints them (or ``--json``), writes every table to XLSX with
``--out``, and records the run (snapshot hash, settings, package versions) in the project.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from testimonio.errors import InputError

if TYPE_CHECKING:
    from testimonio.analysis import ClassTotal, Figure, PopulationEstimate, Snapshot, Typicality
    from testimonio.web.cases.models import Project

#: Packages whose versions an analysis run records (they compute its numbers).
ANALYSIS_PACKAGES = ("testimonio", "duckdb", "pandas", "numpy", "scipy", "statsmodels")
#: The panel's BY_FIELDS, spelled out so that `--help` imports no pandas (a test keeps them equal).
BY_CHOICES = (
    "port", "month", "quarter", "year", "nationality", "language", "gender_identity",
    "age_band", "child", "vulnerability",
)  # fmt: skip


def _where(values: Iterable[str]) -> dict[str, str]:
    where = {}
    for value in values:
        field, sep, wanted = value.partition("=")
        if not sep or field not in BY_CHOICES or not wanted:
            raise InputError(
                f"{value!r} is not FIELD=VALUE with FIELD one of {', '.join(BY_CHOICES)}",
                column="--where",
            )
        where[field] = wanted
    return where


def format_share(figure: Figure) -> str:
    if figure.share is None or figure.lower is None or figure.upper is None:
        return f"{'n/a':>6}  {figure.note}"
    return f"{figure.share:>6.1%}  [{figure.lower:.1%}, {figure.upper:.1%}]"


def panel_lines(figures: Iterable[Figure]) -> list[str]:
    """The panel as a plain table: figure, group, count of denominator, share and interval."""
    lines = [f"{'figure':<44} {'group':<22} {'count':>8} {'of':>8} {'share':>6}  95% interval"]
    for figure in figures:
        group = ", ".join(f"{key}={value}" for key, value in figure.by.items()) or "all"
        lines.append(
            f"{figure.id:<44} {group:<22} {figure.count:>8,} {figure.denominator:>8,} "
            f"{format_share(figure)}"
        )
    return lines


def typicality_lines(rows: Iterable[Typicality]) -> list[str]:
    """Each named plaintiff's experiences and the class's share of each."""
    rows = list(rows)
    if not rows:
        return []
    lines = ["", f"{'typicality: named plaintiff':<28} {'experience':<44} {'share of class':>14}"]
    for row in rows:
        lines.append(f"{row.person_id:<28} {row.experience:<44} {row.share:>14.1%}  "
                     f"[{row.lower:.1%}, {row.upper:.1%}]")  # fmt: skip
    return lines


def latest_population_estimate(project: Project) -> PopulationEstimate:
    """The project's latest recorded whole-project estimate with an interval (for class totals)."""
    from testimonio.analysis import PopulationEstimate
    from testimonio.web.linking.models import EstimateRun

    for run in EstimateRun.objects.filter(project=project, stratum="").order_by("-pk"):
        result = run.result
        if result.get("sound", True) and result.get("lower") and result.get("upper"):
            return PopulationEstimate(
                float(result["estimate"]), float(result["lower"]), float(result["upper"]),
                float(result.get("level") or 0.95), method=str(run.method),
            )  # fmt: skip
    raise InputError(
        f"the project {project.slug!r} has no sound population estimate with an interval: run "
        f"'testimonio estimate --project {project.slug}' first",
        column="--class-totals",
    )


def class_total_record(row: ClassTotal) -> dict[str, Any]:
    from testimonio.analysis import ASSUMPTION

    return {
        "id": f"class_total:{row.figure_id}", "kind": "class_total", "by": {},
        "count": row.documented, "denominator": row.documented_base, "share": row.share,
        "population": row.population, "population_lower": row.population_lower,
        "population_upper": row.population_upper, "total": row.total, "lower": row.lower,
        "upper": row.upper, "level": 0.95, "assumption": ASSUMPTION,
    }  # fmt: skip


def linkage_records(table: Any) -> list[dict[str, Any]]:
    """The ``--json`` rows of the linkage sensitivity: one per threshold and figure, as
    figures (``id`` prefixed ``linkage:``, the threshold in ``by``)."""
    if table is None:
        return []
    return [
        {
            "id": f"linkage:{row['id']}",
            "kind": "linkage_sensitivity",
            "by": {"linkage_threshold": f"{row['threshold']:g}"},
            "own": bool(row["own"]),
            "count": int(row["count"]),
            "denominator": int(row["denominator"]),
            "share": row["share"],
            "lower": row["lower"],
            "upper": row["upper"],
            "level": row["level"],
            "method": row["method"],
        }  # fmt: skip
        for row in table.to_dict("records")
    ]


def _fresh_snapshot(project: Project, folder: Path) -> Snapshot:
    """A snapshot of the project as it is now, in a folder the caller deletes afterwards."""
    from testimonio.analysis import load_snapshot, write_snapshot
    from testimonio.web.snapshots.tables import (
        build_snapshot_tables,
        latest_linkage_run,
        vocabulary_version,
    )

    run = latest_linkage_run(project)
    path = folder / "snapshot.duckdb"
    write_snapshot(
        build_snapshot_tables(project, run), path, project=project.slug,
        vocabulary_version=vocabulary_version(project), linkage_run=str(run.pk) if run else "",
    )  # fmt: skip
    return load_snapshot(path)


def _stored_snapshot(project: Project, path: Path) -> Snapshot:
    from testimonio.analysis import load_snapshot

    if not path.exists():
        raise InputError("there is no snapshot here", file=str(path))
    snapshot = load_snapshot(path)
    if snapshot.manifest.get("project") != project.slug:
        raise InputError(
            f"the snapshot is of project {snapshot.manifest.get('project')!r}, "
            f"not {project.slug!r}",
            file=str(path),
        )
    return snapshot


def _write_xlsx(tables: dict[str, Any], out: Path) -> None:
    import pandas as pd

    partial = out.with_name(f".{out.name}.partial")
    with pd.ExcelWriter(partial, engine="xlsxwriter") as writer:
        for name, table in tables.items():
            table.to_excel(writer, sheet_name=name, index=False)
    partial.replace(out)  # nothing half-written under the final name


@click.command("analyze")
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option(
    "--by", "by", multiple=True, type=click.Choice(BY_CHOICES),
    help="Break the panel down by this field (repeatable).",
)  # fmt: skip
@click.option(
    "--where", "where", multiple=True, metavar="FIELD=VALUE",
    help="Only this stratum, e.g. --where port=2504-SYS (repeatable; all must hold).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the figures as a JSON list.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path),
    help="Write every table (panel, breakdowns, disparities, commonality, typicality, linkage "
    "sensitivity) to this .xlsx file.",
)  # fmt: skip
@click.option(
    "--snapshot", "snapshot_path", type=click.Path(path_type=Path),
    help="Read this snapshot (testimonio snapshot) instead of a fresh one of the project.",
)  # fmt: skip
@click.option(
    "--class-totals", "with_totals", is_flag=True,
    help="Also the totals for the whole class: the project's latest population estimate "
    "(testimonio estimate) times each documented share, both uncertainties propagated.",
)  # fmt: skip
def analyze(
    slug: str, by: tuple[str, ...], where: tuple[str, ...], as_json: bool,
    out: Path | None, snapshot_path: Path | None, with_totals: bool,
) -> None:  # fmt: skip
    """The standard panel of the project: people turned away, repeatedly, after expressing fear,
    each tactic, and events turned away, each with its count, denominator, share and 95%
    interval (docs/methods.md).

    Counts people (linked persons) and events (attempts resolved from several sources'
    reports), never reports. The run is recorded in the project with the snapshot's hash,
    the settings and the package versions. An empty project, one never linked, or a
    stratum with no one is an error (exit code 2), never a table of zeros.
    """
    if out is not None and out.suffix.lower() != ".xlsx":
        raise InputError("the tables are written as .xlsx", file=out.name)
    if out is not None and out.exists():
        raise InputError("the file exists; choose another name", file=str(out))
    stratum = _where(where)
    from testimonio.cli.projects import project_named

    project = project_named(slug)
    estimate = latest_population_estimate(project) if with_totals else None
    from testimonio.analysis import (
        analysis_data,
        analysis_tables,
        class_total_lines,
        class_totals,
        figure_record,
        sensitivity_lines,
        standard_panel,
        typicality,
    )
    from testimonio.provenance import RunProvenance
    from testimonio.web.snapshots.actions import do_record_analysis_run

    with tempfile.TemporaryDirectory(prefix="testimonio-analyze-") as folder:
        snapshot = (
            _stored_snapshot(project, snapshot_path)
            if snapshot_path is not None
            else _fresh_snapshot(project, Path(folder))
        )
        data = analysis_data(snapshot)
        figures = standard_panel(data, by=by, where=stratum)
        tables = analysis_tables(data, by=by, where=stratum) if out is not None else None
        typical = typicality(data)
        linkage = data.linkage
        totals = class_totals(data, [estimate]) if estimate is not None else []
        manifest = dict(snapshot.manifest)
        snapshot.connection.close()
    settings = {"by": list(by), "where": stratum, "snapshot": "file" if snapshot_path else "fresh",
                "xlsx": out is not None, "class_totals": with_totals}  # fmt: skip
    provenance = RunProvenance.of_run(snapshot.sha256, settings, 0, ANALYSIS_PACKAGES)
    run = do_record_analysis_run(project, None, provenance, manifest, len(figures))
    if tables is not None and out is not None:
        if totals:
            import pandas as pd

            tables["class_totals"] = pd.DataFrame([class_total_record(row) for row in totals])
        _write_xlsx(tables, out)
    if as_json:
        records = [figure_record(figure) for figure in figures]
        records += [class_total_record(row) for row in totals] + linkage_records(linkage)
        click.echo(json.dumps(records, indent=2))
        return
    click.echo("\n".join(panel_lines(figures)))
    click.echo("\n".join(typicality_lines(typical)))
    click.echo("\n" + "\n".join(sensitivity_lines(linkage)))
    if totals and estimate is not None:
        click.echo(f"\nPopulation estimate ({estimate.method}): {estimate.estimate:,.0f} "
                   f"[{estimate.lower:,.0f}, {estimate.upper:,.0f}]")  # fmt: skip
        click.echo("\n".join(class_total_lines(totals)))
    click.echo(f"Snapshot {snapshot.sha256[:16]}…, analysis run {run.pk}"
               + (f"; tables written to {out}" if out else ""))  # fmt: skip
