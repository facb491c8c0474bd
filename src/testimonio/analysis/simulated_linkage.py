"""An imperfect linkage run over a simulated world's snapshot tables, for the sensitivity tests.

:func:`~testimonio.analysis.from_simulation.snapshot_tables` links perfectly (a record's person
is its true person): nothing would depend on linkage. Here every pair of records of one true
person gets a match probability drawn mostly high but sometimes low (the model missed it), and
some pairs of records of different people get one drawn mostly low but sometimes high (the
model was fooled), as a Splink run's scored pairs above 0.5 look. They are clustered with the
web app's own code (:func:`testimonio.linkage.clustering.cluster_at_thresholds`) at the run's
threshold, whose clusters become the persons (``P-…``), and at the alternative ones, which
become ``linkage_alternatives``.

What must always hold: the tables stay schema tables; the clusters at the run's threshold are
the persons of ``records`` and ``encounters`` exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from testimonio.analysis.from_simulation import pseudonyms
from testimonio.analysis.linkage_sensitivity import alternatives_table
from testimonio.linkage.clustering import cluster_at_thresholds

#: As the web app's runs (``testimonio.web.linking.actions.ALTERNATIVE_THRESHOLDS``).
THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)


def simulated_pairs(
    records: pd.DataFrame, seed: int = 0, false_pairs: float = 0.3
) -> list[tuple[int, int, float]]:
    """Scored pairs (record row, record row, probability) of true and of false matches.

    True: each record with the next record of the same true person, probability from
    Beta(8, 1) (mean 0.89). False: ``false_pairs`` per record, between random records of
    different people of the same nationality, probability 0.5 + 0.5 * Beta(1, 4).
    """
    rng = np.random.default_rng(seed)
    person = records["person_id"].to_numpy()
    order = np.argsort(person, kind="stable")
    same = person[order][1:] == person[order][:-1]
    first, second = order[:-1][same], order[1:][same]
    pairs = [
        (int(a), int(b), float(p))
        for a, b, p in zip(first, second, rng.beta(8, 1, size=len(first)), strict=True)
    ]
    nationality = records["nationality"].fillna("").to_numpy()
    wanted = int(false_pairs * len(records))
    a = rng.integers(0, len(records), size=wanted)
    b = rng.integers(0, len(records), size=wanted)
    keep = (person[a] != person[b]) & (nationality[a] == nationality[b])
    probability = 0.5 + 0.5 * rng.beta(1, 4, size=wanted)
    pairs += [
        (int(x), int(y), float(p))
        for x, y, p in zip(a[keep], b[keep], probability[keep], strict=True)
    ]
    return pairs


def relink(
    tables: Mapping[str, pd.DataFrame],
    own: float = 0.9,
    thresholds: Sequence[float] = THRESHOLDS,
    seed: int = 0,
) -> dict[str, pd.DataFrame]:
    """The tables as a linkage run at ``own`` would leave them, with its alternatives."""
    records = tables["records"].reset_index(drop=True)
    clusterings = cluster_at_thresholds(
        range(len(records)), simulated_pairs(records, seed), (*thresholds, own)
    )
    clusters = {
        threshold: np.asarray([found.cluster_of[row] for row in range(len(records))])
        for threshold, found in clusterings.items()
    }
    person = pd.Series(pseudonyms(clusters[own] - 1), index=records["record_id"].to_numpy())
    linked = records.assign(person_id=person.to_numpy())
    encounters = tables["encounters"].assign(
        person_id=person.reindex(tables["encounters"]["record_id"]).to_numpy()
    )
    persons = pd.DataFrame({"person_id": np.unique(person.to_numpy()), "named_plaintiff": False})
    membership = linked[["person_id", "source_id"]].drop_duplicates().reset_index(drop=True)
    return {
        **tables,
        "persons": persons,
        "records": linked,
        "encounters": encounters,
        "list_membership": membership,
        "linkage_alternatives": alternatives_table(records["record_id"].to_numpy(), clusters, own),
    }


__all__ = ["THRESHOLDS", "relink", "simulated_pairs"]
