"""Clustering scored pairs with reviewers' decisions (no database)."""

from __future__ import annotations

from testimonio.linkage.clustering import cluster_records


def test_without_decisions_it_gives_connected_components() -> None:
    result = cluster_records([1, 2, 3, 4], [(1, 2, 0.99), (2, 3, 0.95), (3, 4, 0.2)], 0.9)
    assert result.cluster_of == {1: 1, 2: 1, 3: 1, 4: 2}


def test_a_same_pair_is_joined_whatever_the_model_says() -> None:
    result = cluster_records([1, 2], [(1, 2, 0.01)], 0.9, same=[(1, 2)])
    assert result.cluster_of[1] == result.cluster_of[2]


def test_a_different_pair_is_never_joined_even_through_a_chain() -> None:
    scored = [(1, 3, 0.99), (2, 3, 0.97), (1, 2, 0.96)]
    result = cluster_records([1, 2, 3], scored, 0.9, different=[(1, 2)])
    assert result.cluster_of[1] != result.cluster_of[2]
    assert result.cluster_of[1] == result.cluster_of[3]  # the stronger link wins


def test_contradicting_decisions_are_counted() -> None:
    result = cluster_records([1, 2, 3], [], 0.9, same=[(1, 2), (2, 3)], different=[(1, 3)])
    assert result.contradictions == 1


def test_a_cannot_link_pair_stays_apart_even_against_a_same_decision() -> None:
    scored = [(1, 2, 0.99), (2, 3, 0.99)]
    result = cluster_records([1, 2, 3], scored, 0.9, same=[(1, 3)], cannot_link=[(1, 3)])
    assert result.cluster_of[1] != result.cluster_of[3]
    assert result.contradictions == 1  # the overruled "same" decision


def test_a_cannot_link_pair_is_not_joined_through_a_chain() -> None:
    scored = [(1, 2, 0.99), (2, 3, 0.98)]
    result = cluster_records([1, 2, 3], scored, 0.9, cannot_link=[(1, 3)])
    assert result.cluster_of[1] == result.cluster_of[2] != result.cluster_of[3]


def test_one_pass_gives_each_thresholds_clustering_and_higher_ones_split_lower_ones() -> None:
    import random

    from testimonio.linkage.clustering import cluster_at_thresholds

    rng = random.Random(3)
    records = list(range(1, 200))
    scored = [(a, b, rng.random()) for a, b in (sorted(rng.sample(records, 2)) for _ in range(300))]
    decisions = {"same": [(1, 2), (5, 9)], "different": [(3, 4), (10, 11)]}
    thresholds = (0.5, 0.8, 0.9, 0.95, 0.99)
    together = cluster_at_thresholds(records, scored, thresholds, **decisions)
    for threshold in thresholds:
        alone = cluster_records(records, scored, threshold, **decisions)
        assert together[threshold] == alone
    for low, high in zip(thresholds, thresholds[1:], strict=False):
        merged = together[low].cluster_of
        split = together[high].cluster_of
        # Records together at the higher threshold are together at the lower one.
        assert all(
            merged[a] == merged[b] for a in records for b in records[:20] if split[a] == split[b]
        )
    assert len(set(together[0.5].cluster_of.values())) < len(
        set(together[0.99].cluster_of.values())
    )
