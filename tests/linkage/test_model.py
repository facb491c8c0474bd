"""A Splink model trained without labels links noisy lists of synthetic people."""

import json

import pytest

from testimonio.errors import LinkageError
from testimonio.linkage import (
    LinkageModel,
    evaluate_clusters,
    load_model,
    prepare_tables,
    run_linkage,
)
from tests.linkage.factories import make_world


@pytest.fixture(scope="module")
def world():
    return make_world(400, sources=3, seed=11)


@pytest.fixture(scope="module")
def linked(world):
    records = prepare_tables(world.tables)
    return records, run_linkage(records, threshold=0.9, seed=7)


def test_it_links_noisy_lists_of_synthetic_people(world, linked):
    _, run = linked
    quality = evaluate_clusters(run.clusters, world.truth)
    assert quality.pairwise_precision > 0.95
    assert quality.pairwise_recall > 0.8
    assert abs(quality.count_error) < 0.1


def test_every_record_gets_exactly_one_cluster(linked):
    records, run = linked
    assert len(run.clusters) == len(records)
    assert not run.clusters.duplicated(["source", "record_id"]).any()


def test_a_saved_model_repeats_the_run_to_the_same_clusters(tmp_path, linked):
    records, run = linked
    path = tmp_path / "model.json"
    run.model.save(path)
    saved = json.loads(path.read_text())
    assert saved["threshold"] == 0.9
    assert saved["versions"]["splink"]
    again = run_linkage(records, threshold=0.9, model=load_model(path, records))
    assert again.clusters["cluster_id"].tolist() == run.clusters["cluster_id"].tolist()


def test_a_pairs_explanation_sums_to_its_match_weight(linked):
    _, run = linked
    pair = run.pairs.sort_values("match_weight").iloc[len(run.pairs) // 2].to_dict()
    steps = run.model.explain(pair)
    assert steps[0]["comparison"] == "prior"
    assert {step["comparison"] for step in steps} >= {"given_name", "surnames", "birth_date"}
    assert sum(step["weight"] for step in steps) == pytest.approx(pair["match_weight"])
    assert all(isinstance(step["level"], str) for step in steps)


def test_records_without_any_name_cannot_be_linked(world):
    records = prepare_tables(world.tables)
    records[["given_name", "surname1"]] = None
    with pytest.raises(LinkageError, match="no record has a name"):
        LinkageModel(records)


def test_a_model_file_that_is_not_ours_is_a_linkage_error(tmp_path, linked):
    records, _ = linked
    path = tmp_path / "model.json"
    path.write_text("{}")
    with pytest.raises(LinkageError, match="not a Testimonio linkage model"):
        load_model(path, records)
