"""Linkage quality is measured against truth in pairs, whole clusters and people counted."""

import pandas as pd
import pytest

from testimonio.linkage.evaluation import blocking_recall, evaluate_clusters


def _records(assignments):
    return pd.DataFrame(
        [("list", str(number), group) for number, group in enumerate(assignments, start=1)],
        columns=["source", "record_id", "group"],
    )


def test_a_perfect_linkage_scores_one_everywhere():
    truth = _records([1, 1, 2, 3]).rename(columns={"group": "person_id"})
    clusters = _records([7, 7, 8, 9]).rename(columns={"group": "cluster_id"})
    quality = evaluate_clusters(clusters, truth)
    assert quality.pairwise_f1 == 1.0
    assert quality.cluster_f1 == 1.0
    assert quality.count_error == 0.0


def test_a_false_merge_costs_pairwise_precision_and_two_clusters():
    truth = _records([1, 1, 2, 3]).rename(columns={"group": "person_id"})
    clusters = _records([1, 1, 1, 3]).rename(columns={"group": "cluster_id"})
    quality = evaluate_clusters(clusters, truth)
    assert quality.pairwise_precision == pytest.approx(1 / 3)
    assert quality.pairwise_recall == 1.0
    assert quality.cluster_precision == pytest.approx(1 / 2)
    assert quality.cluster_recall == pytest.approx(1 / 3)
    assert quality.people_found == 2
    assert quality.count_error == pytest.approx(-1 / 3)


def test_a_missed_link_overcounts_people():
    truth = _records([1, 1, 2]).rename(columns={"group": "person_id"})
    clusters = _records([1, 2, 3]).rename(columns={"group": "cluster_id"})
    quality = evaluate_clusters(clusters, truth)
    assert quality.pairwise_recall == 0.0
    assert quality.count_error == pytest.approx(1 / 2)


def test_blocking_recall_counts_true_pairs_any_rule_would_compare():
    records = pd.DataFrame(
        {"unique_id": [1, 2, 3, 4], "source": "list", "record_id": ["1", "2", "3", "4"],
         "surname1": ["garcia", "garcia", "lopez", "lopes"]}
    )  # fmt: skip
    truth = records[["source", "record_id"]].assign(person_id=[1, 1, 2, 2])
    assert blocking_recall(records, truth, ["l.surname1 = r.surname1"]) == 0.5
