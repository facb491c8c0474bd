"""``testimonio link``: count people, not rows, across lists of any layout.

The command reads the files, recognises their columns, trains a Splink model on them (or loads
a saved one), and writes which records are the same person. Progress messages name steps and
counts, never a person.
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd
from rich.console import Console

from testimonio.errors import InputError

_HELP = """Link or deduplicate lists of people: which records are the same person.

Give one FILE to find repeated records of the same person in it, or several to link them
(records are also deduplicated within each file). Files are CSV or XLSX; columns are
recognised by their headers in English, Spanish, French or Portuguese (first name / nombre(s),
surname / apellido(s), apellido paterno / materno, full name / nombre completo, date of birth /
fecha de nacimiento, age / edad, sex / sexo, nationality / nacionalidad, address / dirección or
its parts: street number, street / calle, address line 2, city / ciudad, postcode / código
postal, state / estado; phone / teléfono, intake date / fecha de registro, port of entry /
garita, date of the attempt / fecha del intento). An age with the day it was recorded narrows
the birth year; the port and day of the attempt support a link when names and births agree.
Name others with --columns, e.g. --columns given_name=Nom1,surname=Apellidos.

Before linking, it reports (on stderr) which column it used for what and how many values of
each it could read: counts and shares, never values. It stops (exit code 2) when a birth date,
birth year or age column is mostly unreadable (under half of its written values), or when
under half of a file's rows have a readable birth date, birth year, age, address or phone (the
link would rest on names alone); name the right columns with --columns, or pass --allow-weak
to link anyway.

Writes --out as CSV with columns source,record_id,cluster_id: records with the same
cluster_id are judged to be the same person. source is the file name without extension;
record_id comes from --id (or a recognised id column such as id or folio), else the row
number (1 = first data row).

The model is trained on the files themselves, without labelled pairs; --save-model keeps it
(with the threshold) so the run can be repeated with --model.

With --project SLUG and no FILES, links the project's imported records instead (identities are
decrypted in memory only): records judged the same person are merged into one person,
reviewers' decisions are honoured, uncertain pairs are queued for review in the web app, and
the run (settings, trained model, threshold, seed) is recorded so estimates can cite it.
"""


@click.command("link", help=_HELP)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--project",
    "slug",
    metavar="SLUG",
    help="Link the records of this project (instead of FILES) and merge its persons.",
)
@click.option("--id", "id_column", metavar="COLUMN", help="Column holding each record's id.")
@click.option(
    "--columns",
    "mapping",
    metavar="OURS=THEIRS,...",
    help="Explicit column mapping. Our fields: given_name, surname, paternal_surname, "
    "maternal_surname, full_name, birth_date, birth_year, age, record_date, encounter_date, port, "
    "sex, nationality, address, phone, record_id.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
    default=None,
    help="Match probability at or above which two records are the same person "
    "[default: 2/3, i.e. a match twice as likely as not, or the saved model's]. Lower finds "
    "more links and more false ones.",
)
@click.option(
    "--out", "out_path", type=click.Path(path_type=Path), help="Clusters CSV (with FILES)."
)
@click.option(
    "--pairs",
    "pairs_path",
    type=click.Path(path_type=Path),
    help="Also write the scored pairs (match probability >= 0.01, or the threshold if lower), "
    "with the agreement level and match weight of each comparison, to this CSV.",
)
@click.option(
    "--save-model",
    type=click.Path(path_type=Path),
    help="Save settings, trained parameters and threshold as JSON, to repeat the run.",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path),
    help="Use a model saved with --save-model instead of training.",
)
@click.option(
    "--allow-weak",
    is_flag=True,
    help="Link even when the column report finds an unreadable birth date, year or age "
    "column, or too little besides names to link on (the warnings are still printed).",
)
@click.option("--seed", default=42, show_default=True, help="Seed for the random sampling.")
def link(
    files: tuple[Path, ...],
    slug: str | None,
    id_column: str | None,
    mapping: str | None,
    threshold: float | None,
    out_path: Path | None,
    pairs_path: Path | None,
    save_model: Path | None,
    model_path: Path | None,
    allow_weak: bool,
    seed: int,
) -> None:
    if slug is not None:
        given = (files, out_path, pairs_path, save_model, model_path, mapping, id_column)
        if any(given) or allow_weak:
            raise click.UsageError(
                "--project links the project's records: give no FILES, --out, --pairs, "
                "--columns, --id, --model, --save-model or --allow-weak with it"
            )
        _link_project(slug, threshold, seed)
        return
    if not files:
        raise click.UsageError("give FILES to link, or --project SLUG")
    if out_path is None:
        raise click.UsageError("give --out for the clusters CSV")
    # Heavy imports (Splink, DuckDB) are paid only when the command runs.
    from testimonio.linkage import (
        load_model,
        parse_column_mapping,
        prepare_tables,
        read_table,
        run_linkage,
        source_names,
        train_model,
    )

    _check_output_folder(out_path, "--out")
    console = Console(stderr=True)
    explicit = parse_column_mapping(mapping)
    with console.status("Reading the files..."):
        tables = {
            name: read_table(path)
            for name, path in zip(source_names(list(files)), files, strict=True)
        }
    with console.status("Normalising the records..."):
        records = prepare_tables(tables, explicit=explicit, id_column=id_column)
    # After the records: a bad --id is an error of its own, reported before any weakness.
    _report_columns(console, tables, explicit, overridden=bool(mapping) or allow_weak)
    console.print(f"Read {len(records):,} records from {len(files)} file(s).")
    with console.status("Training the model (u by random sampling, m by EM)..."):
        model = load_model(model_path, records) if model_path else train_model(records, seed=seed)
    chosen = threshold if threshold is not None else model.threshold
    with console.status("Scoring pairs and clustering..."):
        run = run_linkage(records, threshold=chosen, model=model)
    _write_clusters(run.clusters, out_path)
    if pairs_path is not None:
        _write_pairs(run.pairs, pairs_path)
    if save_model is not None:
        model.save(save_model)
    people = run.clusters["cluster_id"].nunique()
    console.print(
        f"{len(records):,} records are {people:,} people at threshold {chosen:g}; wrote {out_path}."
    )


def _report_columns(
    console: Console,
    tables: dict[str, pd.DataFrame],
    explicit: dict[str, str],
    *,
    overridden: bool,
) -> None:
    """Print what each column is used for and how much of it reads; stop on a weak file.

    Stopping is the default because a run that quietly links on names alone prints a
    plausible count of people that is wrong; --columns or --allow-weak says the user has seen
    the report and chosen.
    """
    from testimonio.errors import LinkageError
    from testimonio.linkage import recognise_columns, report_columns

    problems = []
    for source, frame in tables.items():
        columns = recognise_columns(frame.columns, file=source, explicit=explicit)
        report = report_columns(frame, columns, source=source)
        for line in report.lines():
            console.print(line, markup=False, highlight=False, soft_wrap=True)
        problems.extend(report.problems())
    for problem in problems:
        console.print(f"Warning: {problem}.", markup=False, highlight=False, soft_wrap=True)
    if problems and not overridden:
        more = f" (and {len(problems) - 1} more warning(s) above)" if len(problems) > 1 else ""
        raise LinkageError(
            f"{problems[0]}{more}; name the right columns with --columns, or pass --allow-weak "
            f"to link anyway"
        )


def _link_project(slug: str, threshold: float | None, seed: int) -> None:
    from testimonio.cli.projects import project_named

    project = project_named(slug)
    from testimonio.linkage import DEFAULT_THRESHOLD
    from testimonio.web.linking.actions import do_run_linkage

    chosen = threshold if threshold is not None else DEFAULT_THRESHOLD
    with Console(stderr=True).status("Linking the project's records..."):
        run = do_run_linkage(project, None, threshold=chosen, seed=seed)
    metrics = run.metrics
    click.echo(
        f"Linked {metrics['records']:,} records of {project.slug!r} into "
        f"{metrics['people_after']:,} people (before: {metrics['people_before']:,}) at "
        f"threshold {chosen:g}; {metrics['review_pairs']:,} uncertain pairs wait for review "
        f"(link run {run.pk})."
    )


def _check_output_folder(path: Path, option: str) -> None:
    if not path.parent.exists():
        raise InputError(f"the folder for {option} does not exist", file=str(path))


def _write_clusters(clusters: pd.DataFrame, path: Path) -> None:
    clusters[["source", "record_id", "cluster_id"]].to_csv(path, index=False)


#: Columns of the pairs file: ids, scores, and per comparison its level (gamma_) and
#: evidence (mw_ = match weight in bits; mw_tf_adj_ adjusts it for how common the name is).
#: Values of the records are left out on purpose.
def _write_pairs(pairs: pd.DataFrame, path: Path) -> None:
    _check_output_folder(path, "--pairs")
    renamed = pairs.rename(
        columns={
            "source_l": "source_1",
            "record_id_l": "record_id_1",
            "source_r": "source_2",
            "record_id_r": "record_id_2",
        }
    )
    scores = [column for column in renamed.columns if column.startswith(("gamma_", "mw_"))]
    columns = ["source_1", "record_id_1", "source_2", "record_id_2"]
    columns += ["match_probability", "match_weight", *scores]
    renamed.sort_values("match_probability", ascending=False)[columns].to_csv(path, index=False)
