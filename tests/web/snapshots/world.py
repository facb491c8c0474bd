"""A project built by importing a simulated world's files, linked exactly by the world's truth.

The import is the one the demo and the web app use; the linkage is the truth itself (each
record's sealed provenance names the source's own id of its row, which the world's
``truth/records.csv`` maps to the true person), so counts of documented people can be compared
with the truth exactly. The run is recorded as a linkage run that says it is the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from testimonio.ingest import read_path, validate_table
from testimonio.simulation import SimulationConfig, WorldSummary, generate_world, reviewed_mapping
from testimonio.web.cases.actions import do_create_source, do_reassign_persons
from testimonio.web.cases.models import Project, Record
from testimonio.web.cases.vocabulary_bundle import bundle_of
from testimonio.web.imports.actions import do_import_rows
from testimonio.web.keys.identity import open_identity
from testimonio.web.linking.models import LinkRun

TABULAR = (".csv", ".xlsx")


@dataclass(frozen=True)
class ImportedWorld:
    summary: WorldSummary
    folder: Path
    truth_person: dict[int, str]  # record pk -> true person id (P0000123)


def simulate(folder: Path, people: int = 200, seed: int = 5) -> WorldSummary:
    return generate_world(SimulationConfig(people=people, sources=4, seed=seed), folder)


def import_world(project: Project, summary: WorldSummary) -> None:
    bundle = bundle_of(project.vocabulary)
    for source_summary in summary.sources:
        table_file = next(path for path in source_summary.files if path.suffix in TABULAR)
        table = read_path(table_file).table()
        mapping = reviewed_mapping(table, bundle, source_summary.key)
        rows, errors = validate_table(table, mapping, bundle)
        source = do_create_source(project, source_summary.key, None)
        do_import_rows(source, rows, errors, None)


def link_by_truth(project: Project, folder: Path) -> dict[int, str]:
    """Give each record its true person; record the run. Returns record pk -> true person."""
    truth = pd.read_csv(folder / "truth" / "records.csv", dtype=str)
    person_of = dict(zip(zip(truth["source"], truth["record_id"], strict=True),
                         truth["person_id"], strict=True))  # fmt: skip
    records = list(Record.objects.filter(project=project).select_related("source"))
    truth_person = {
        record.pk: person_of[(record.source.name, str(open_identity(record).origin()["key"]))]
        for record in records
    }
    numbers = {person: number for number, person in enumerate(sorted(set(truth_person.values())))}
    cluster_of = {pk: numbers[person] for pk, person in truth_person.items()}
    do_reassign_persons(project, None, records, cluster_of)
    LinkRun.objects.create(
        project=project, input_hash="0" * 64, threshold=1.0, settings={"linkage": "truth"}
    )
    return truth_person


def imported_world(project: Project, folder: Path, summary: WorldSummary) -> ImportedWorld:
    import_world(project, summary)
    return ImportedWorld(summary, folder, link_by_truth(project, folder))
