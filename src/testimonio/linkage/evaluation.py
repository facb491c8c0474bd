"""How good a linkage is, measured against the known truth of a simulated world.

Three views, because each hides a different error: pairwise precision/recall/F1 (every pair of
records put together, weighted towards big clusters), cluster precision/recall/F1 (a person
counts only if all their records and no others are together), and the error in the count of
unique people, which is what the population estimate feeds on. Blocking recall says what share
of true pairs the blocking rules even let Splink score.

What must always hold: these take ids only, never names, so reports can be shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import duckdb
import pandas as pd

__all__ = ["LinkageQuality", "blocking_recall", "evaluate_clusters"]

_KEYS = ["source", "record_id"]


@dataclass(frozen=True)
class LinkageQuality:
    """Pairwise and cluster precision, recall and F1, and the count of people found vs true."""

    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    cluster_precision: float
    cluster_recall: float
    cluster_f1: float
    people_found: int
    people_true: int

    @property
    def count_error(self) -> float:
        """Relative error in the number of unique people (+ over-counts, - under-counts)."""
        return (self.people_found - self.people_true) / self.people_true

    def as_dict(self) -> dict[str, float]:
        """Every figure, count error included, for tables and JSON."""
        return {**asdict(self), "count_error": self.count_error}


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def evaluate_clusters(clusters: pd.DataFrame, truth: pd.DataFrame) -> LinkageQuality:
    """Compare ``clusters`` (source, record_id, cluster_id) with ``truth`` (..., person_id)."""
    joined = clusters[[*_KEYS, "cluster_id"]].merge(truth[[*_KEYS, "person_id"]], on=_KEYS)
    if len(joined) != len(truth):
        raise ValueError("clusters and truth do not cover the same records")
    together = _pairs(joined.groupby(["cluster_id", "person_id"]).size())
    predicted = _pairs(joined.groupby("cluster_id").size())
    actual = _pairs(joined.groupby("person_id").size())
    precision = together / predicted if predicted else 1.0
    recall = together / actual if actual else 1.0
    exact = _exact_clusters(joined)
    found, true = joined["cluster_id"].nunique(), joined["person_id"].nunique()
    return LinkageQuality(
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        cluster_precision=exact / found,
        cluster_recall=exact / true,
        cluster_f1=_f1(exact / found, exact / true),
        people_found=found,
        people_true=true,
    )


def _exact_clusters(joined: pd.DataFrame) -> int:
    """Clusters holding exactly one person's records, all of them."""
    per_cluster = joined.groupby("cluster_id").agg(
        people=("person_id", "nunique"), size=("person_id", "size"), person=("person_id", "first")
    )
    pure = per_cluster[per_cluster["people"] == 1]
    person_sizes = joined.groupby("person_id").size()
    return int((pure["size"].to_numpy() == person_sizes.loc[pure["person"]].to_numpy()).sum())


def blocking_recall(records: pd.DataFrame, truth: pd.DataFrame, rules: Sequence[str]) -> float:
    """Share of true pairs of records that at least one blocking rule would compare.

    ``records`` are the standard records (with source and record_id); ``rules`` are SQL on
    ``l.`` and ``r.`` as in :func:`testimonio.linkage.settings.blocking_rules`.
    """
    labelled = records.merge(truth[[*_KEYS, "person_id"]], on=_KEYS)
    if not rules:
        return 0.0
    any_rule = " OR ".join(f"({rule})" for rule in rules)
    connection = duckdb.connect()
    connection.register("labelled", labelled)
    sql = f"""
        SELECT count(*) AS true_pairs, count(*) FILTER (WHERE {any_rule}) AS blocked
        FROM labelled AS l JOIN labelled AS r
          ON l.person_id = r.person_id AND l.unique_id < r.unique_id
    """  # noqa: S608 - the rules are our own constants, not user input
    true_pairs, blocked = connection.execute(sql).fetchall()[0]
    connection.close()
    return blocked / true_pairs if true_pairs else 1.0
