"""A project's snapshot, from a simulated world imported and linked exactly: the panel it gives
matches the world's truth, and nothing in it names anyone."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from testimonio.analysis import analysis_data, load_snapshot, standard_panel
from testimonio.errors import EstimationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Encounter, Project, Record
from testimonio.web.keys.identity import open_identity
from testimonio.web.snapshots.actions import do_write_snapshot
from testimonio.web.snapshots.tables import build_snapshot_tables
from tests.web.snapshots.world import ImportedWorld, import_world

pytestmark = pytest.mark.django_db


def _truth_of_told_outcomes(world: ImportedWorld, project: Project) -> pd.DataFrame:
    """The true encounters behind the records whose source told an outcome."""
    told = Record.objects.filter(
        pk__in=Encounter.objects.filter(project=project, outcome__isnull=False).values("record")
    ).select_related("source")
    keys = {(record.source.name, str(open_identity(record).origin()["key"])) for record in told}
    truth = pd.read_csv(world.folder / "truth" / "records.csv", dtype=str)
    encounters = pd.read_csv(world.folder / "truth" / "encounters.csv", dtype={"encounter_id": str})
    chosen = truth[[key in keys for key in zip(truth["source"], truth["record_id"], strict=True)]]
    return chosen.merge(encounters, on="encounter_id")


def test_the_snapshot_has_one_person_per_documented_person(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    manifest = do_write_snapshot(project, tmp_path / "project.duckdb", None)
    assert manifest["tables"]["persons"]["rows"] == world.summary.documented_people
    assert manifest["tables"]["records"]["rows"] == Record.objects.filter(project=project).count()
    snapshot = load_snapshot(tmp_path / "project.duckdb")
    linked = snapshot.sql("SELECT count(DISTINCT person_id) FROM records").fetchall()[0][0]
    assert linked == len(set(world.truth_person.values()))


def test_the_panel_counts_the_true_people_turned_away(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    do_write_snapshot(project, tmp_path / "project.duckdb", None)
    panel = {
        figure.id: figure
        for figure in standard_panel(analysis_data(load_snapshot(tmp_path / "project.duckdb")))
    }
    truth = _truth_of_told_outcomes(world, project)
    turned = truth[truth["turned_back"] == 1]
    assert panel["persons_turned_away"].count == turned["person_id"].nunique()
    assert panel["persons_turned_away"].denominator == world.summary.documented_people
    repeated = panel["persons_turned_away_repeatedly"]
    true_repeated = int((turned.groupby("person_id")["encounter_id"].nunique() >= 2).sum())
    share = true_repeated / repeated.denominator
    assert repeated.lower is not None and repeated.upper is not None
    assert repeated.lower <= share <= repeated.upper
    fear = panel["persons_fear_expressed_then_turned_away"]
    true_fear = turned[turned["fear_expressed"] == 1]["person_id"].nunique()
    assert fear.lower is not None and fear.upper is not None
    assert fear.lower <= true_fear / fear.denominator <= fear.upper


IDENTITY_COLUMNS = ("given_names", "paternal_surname", "maternal_surname", "birth_date")


def _phones(world: ImportedWorld) -> set[str]:
    """Every phone the sources' own files hold (the truth keeps none)."""
    phones: set[str] = set()
    for source in world.summary.sources:
        for path in source.files:
            if path.suffix == ".csv":
                table = pd.read_csv(path, dtype=str)
                for column in table.columns:
                    if any(part in column.lower() for part in ("phone", "tel", "whatsapp")):
                        phones |= set(table[column].dropna())
    return {phone for phone in phones if len(phone) >= 7}


def _needles(world: ImportedWorld) -> set[str]:
    people = pd.read_csv(world.folder / "truth" / "people.csv", dtype=str)
    documented = people[people["person_id"].isin(set(world.truth_person.values()))]
    needles = {
        value for column in IDENTITY_COLUMNS for value in documented[column].dropna()
        if len(value) >= 5
    }  # fmt: skip
    pairs = zip(documented["given_names"], documented["paternal_surname"], strict=True)
    needles |= {f"{given} {surname}" for given, surname in pairs}
    for value in documented["birth_date"].dropna():  # also the day-first and month-first forms
        parts = value.split("-")
        if len(parts) == 3:
            year, month, day = parts
            needles |= {f"{day}/{month}/{year}", f"{month}/{day}/{year}"}
    return needles | _phones(world)


def test_no_name_birth_date_or_phone_is_anywhere_in_the_snapshot(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    needles = _needles(world)
    assert len(needles) > 100 and _phones(world)  # the search has something to find
    for storage in ("project.duckdb", "parquet"):
        manifest = do_write_snapshot(project, tmp_path / storage, None)
        snapshot = load_snapshot(tmp_path / storage)
        text = json.dumps(manifest)
        for name in snapshot.tables:
            text += snapshot.frame(name).to_csv(index=False)
        found = sorted(needle for needle in needles if needle in text)
        assert found == []


def test_writing_a_snapshot_is_audited_without_identities(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    manifest = do_write_snapshot(project, tmp_path / "project.duckdb", None)
    event = AuditEvent.objects.get(action="analysis.snapshot.write")
    assert event.details["snapshot_sha256"] == manifest["snapshot_sha256"]
    assert event.details["rows"]["persons"] == world.summary.documented_people
    assert str(tmp_path) not in json.dumps(event.details)
    needles = _needles(world)
    assert not [needle for needle in needles if needle in json.dumps(event.details)]


def test_the_same_project_gives_the_same_hashes(
    world: ImportedWorld, project: Project, tmp_path: Path
) -> None:
    first = do_write_snapshot(project, tmp_path / "first.duckdb", None)
    second = do_write_snapshot(project, tmp_path / "second", None)
    assert first["snapshot_sha256"] == second["snapshot_sha256"]


def test_a_project_without_records_is_refused(project: Project) -> None:
    with pytest.raises(EstimationError, match="has no records"):
        build_snapshot_tables(project)


def test_a_project_never_linked_is_refused(
    project: Project, world_files: tuple[Path, object]
) -> None:
    import_world(project, world_files[1])  # type: ignore[arg-type]
    with pytest.raises(EstimationError, match="never been linked"):
        build_snapshot_tables(project)
