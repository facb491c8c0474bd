"""The snapshot format: what is written, what is read back, and what is refused."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

import testimonio
from testimonio.analysis import TABLES, load_snapshot, write_snapshot
from testimonio.analysis.from_simulation import snapshot_tables
from testimonio.errors import InputError
from testimonio.simulation import DrawnWorld
from tests.analysis.conftest import written


def test_a_duckdb_file_and_a_parquet_folder_hold_the_same_tables_with_the_same_hashes(
    world: DrawnWorld, tmp_path: Path
) -> None:
    in_file = load_snapshot(written(tmp_path, world, "snapshot.duckdb"))
    in_folder = load_snapshot(written(tmp_path, world, "snapshot"))
    assert in_file.manifest["tables"] == in_folder.manifest["tables"]
    assert in_file.sha256 == in_folder.sha256
    pd.testing.assert_frame_equal(in_file.frame("records"), in_folder.frame("records"))


def test_the_manifest_counts_rows_and_names_the_project_and_schema(
    world: DrawnWorld, tmp_path: Path
) -> None:
    tables = snapshot_tables(world)
    snapshot = load_snapshot(written(tmp_path, world))
    manifest = snapshot.manifest
    assert manifest["schema_version"] == 5
    assert manifest["project"] == "simulated"
    assert manifest["created_utc"].endswith("+00:00")
    for name, table in tables.items():
        assert manifest["tables"][name]["rows"] == len(table)
        assert len(manifest["tables"][name]["sha256"]) == 64


def test_load_snapshot_is_reachable_from_the_package_without_importing_duckdb_first() -> None:
    assert testimonio.load_snapshot is load_snapshot


def test_a_parquet_table_changed_after_writing_is_an_error(
    world: DrawnWorld, tmp_path: Path
) -> None:
    path = written(tmp_path, world, "snapshot")
    table = pd.read_parquet(path / "encounters.parquet")
    table.loc[0, "fear_expressed"] = "no" if table.loc[0, "fear_expressed"] == "yes" else "yes"
    table.to_parquet(path / "encounters.parquet")
    with pytest.raises(InputError, match="encounters table was changed"):
        load_snapshot(path)


def test_a_duckdb_table_changed_after_writing_is_an_error(
    world: DrawnWorld, tmp_path: Path
) -> None:
    path = written(tmp_path, world)
    with duckdb.connect(str(path)) as connection:
        connection.execute("DELETE FROM codings WHERE rowid = 0")
    with pytest.raises(InputError, match="codings table was changed"):
        load_snapshot(path)


def test_a_column_outside_the_schema_is_refused(world: DrawnWorld, tmp_path: Path) -> None:
    tables = snapshot_tables(world)
    tables["records"] = tables["records"].assign(given_names="x")
    with pytest.raises(InputError, match="not in the snapshot schema"):
        write_snapshot(tables, tmp_path / "snapshot.duckdb", project="simulated")
    assert not (tmp_path / "snapshot.duckdb").exists()
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_an_existing_path_is_not_overwritten(world: DrawnWorld, tmp_path: Path) -> None:
    (tmp_path / "snapshot.duckdb").write_text("someone's file")
    with pytest.raises(InputError, match="already exists"):
        write_snapshot(snapshot_tables(world), tmp_path / "snapshot.duckdb", project="p")
    assert (tmp_path / "snapshot.duckdb").read_text() == "someone's file"


def test_a_file_that_is_not_a_snapshot_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "other.duckdb").write_text("not a database")
    with pytest.raises(InputError, match="not a snapshot"):
        load_snapshot(tmp_path / "other.duckdb")


def test_nothing_identifying_is_in_any_table_or_the_manifest(
    world: DrawnWorld, tmp_path: Path
) -> None:
    path = written(tmp_path, world, "snapshot")
    snapshot = load_snapshot(path)
    population = world.population
    documented = np.flatnonzero(world.captured.any(axis=1))
    names = {
        str(value)
        for column in (population.given_names, population.paternal_surname,
                       population.maternal_surname)
        for value in column[documented]
        if len(str(value)) >= 4
    }  # fmt: skip
    births = population.birth_date[documented]
    dates = {str(day) for day in births} | {
        day.astype(object).strftime(pattern)
        for day in births for pattern in ("%m/%d/%Y", "%d/%m/%Y", "%Y%m%d")
    }  # fmt: skip
    texts = [(path / "manifest.json").read_text(encoding="utf-8")]
    for name in snapshot.tables:
        frame = snapshot.frame(name)
        texts.extend(frame[column].astype(str).str.cat(sep="\n") for column in frame.columns)
    words = set(" ".join(texts).replace("\n", " ").split())
    # organizations' names are not people's, even where a word is also a given name (Refugio)
    organizations = {word for spec in world.config.active_sources
                     for word in spec.organization.split()}  # fmt: skip
    assert words & names <= organizations
    assert len(names) > 500 and len(dates) > 500
    assert all(day not in text for day in dates for text in texts)
    assert set(json.loads(texts[0])["tables"]) <= set(TABLES)


def as_version_2(path: Path) -> None:
    """Turn a Parquet snapshot into the version 2 form: the JSON-per-row hash in its manifest."""
    from testimonio.analysis.snapshot_schema import table_hash_sql

    manifest = json.loads((path / "manifest.json").read_text())
    connection = duckdb.connect()
    for name in manifest["tables"]:
        source = str(path / f"{name}.parquet")
        view = f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{source}')"  # noqa: S608
        connection.execute(view)
        sql = table_hash_sql(f'"{name}"', TABLES[name])
        manifest["tables"][name]["sha256"] = connection.execute(sql).fetchall()[0][0]
    manifest["schema_version"] = 2
    (path / "manifest.json").write_text(json.dumps(manifest))


def test_a_version_2_snapshot_is_verified_with_its_own_hash(
    world: DrawnWorld, tmp_path: Path
) -> None:
    path = written(tmp_path, world, "snapshot")
    current = load_snapshot(path).manifest["tables"]["persons"]["sha256"]
    as_version_2(path)
    old = load_snapshot(path)
    assert old.manifest["schema_version"] == 2
    assert old.manifest["tables"]["persons"]["sha256"] != current
    table = pd.read_parquet(path / "persons.parquet")
    table.loc[0, "named_plaintiff"] = not table.loc[0, "named_plaintiff"]
    table.to_parquet(path / "persons.parquet")
    with pytest.raises(InputError, match="persons table was changed"):
        load_snapshot(path)


def test_a_table_stored_out_of_key_order_is_refused_as_changed(
    world: DrawnWorld, tmp_path: Path
) -> None:
    path = written(tmp_path, world, "snapshot")
    table = pd.read_parquet(path / "records.parquet")
    table.iloc[::-1].to_parquet(path / "records.parquet", index=False)
    with pytest.raises(InputError, match="records table was changed"):
        load_snapshot(path)


def test_a_schema_version_this_code_does_not_know_is_refused(
    world: DrawnWorld, tmp_path: Path
) -> None:
    path = written(tmp_path, world, "snapshot")
    manifest = json.loads((path / "manifest.json").read_text())
    (path / "manifest.json").write_text(json.dumps(manifest | {"schema_version": 99}))
    with pytest.raises(InputError, match="schema version 99 is not supported"):
        load_snapshot(path)
