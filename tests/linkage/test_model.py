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
from testimonio.linkage.pipeline import train_model
from testimonio.linkage.settings import blocking_rules
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


def test_a_table_larger_than_the_training_limit_is_trained_on_a_sample(world, linked):
    records, whole = linked
    model = train_model(records, seed=7, max_training_records=len(records) // 2)
    assert any("random sample" in note for note in model.notes)
    run = run_linkage(records, threshold=0.9, model=model)
    assert len(run.clusters) == len(records)
    quality = evaluate_clusters(run.clusters, world.truth)
    assert quality.pairwise_precision > 0.9
    assert abs(quality.count_error) < 0.1


def test_the_lists_a_pair_comes_from_are_weighed_from_the_data(linked):
    _, run = linked
    settings = run.model.trained_settings()
    lists = next(c for c in settings["comparisons"] if c["output_column_name"] == "lists")
    weighed = [level for level in lists["comparison_levels"] if not level.get("fix_u_probability")]
    # One level per pair of the world's three lists, each with its own m, none of them zero.
    assert len(weighed) == 6
    assert len({level["m_probability"] for level in weighed}) == 6
    assert all(0 < level["m_probability"] < 1 for level in weighed)


def test_large_tables_block_with_rules_that_split_common_names():
    available = {"given_name", "surname1", "birth_year", "birth_date", "port", "phone"}
    small, large = blocking_rules(available), blocking_rules(available, large=True)
    assert "l.given_key = r.given_key AND l.surname1_key = r.surname1_key" in small
    assert "l.given_key = r.given_key AND l.surname1_key = r.surname1_key" not in large
    # Every large-table rule on the name keys adds another field to the equality.
    keyed = [rule for rule in large if rule.startswith("l.given_key = r.given_key AND l.surname1")]
    assert keyed and all(rule.count(" AND ") >= 2 for rule in keyed)
