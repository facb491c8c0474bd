"""Clusters of records from scored pairs, honouring what reviewers decided.

A pair decided "same" is joined whatever the model says. A pair decided "different" never ends
up in one cluster, even through a chain of other links (A-C and C-B would otherwise join A and
B): model links are added strongest first, and a link that would put a "different" pair
together is left out. Without decisions this gives the same clusters as connected components.

A "cannot link" pair (the records of a person an attorney split) is stronger still: it is kept
apart even against reviewers' "same" decisions, which are skipped and counted as
contradictions when they would join it (the split is the later, considered judgement).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

Pair = tuple[int, int]


@dataclass
class _Components:
    """Union-find over record ids, each component carrying the records it must not join."""

    parent: dict[int, int] = field(default_factory=dict)
    apart: dict[int, set[int]] = field(default_factory=dict)
    never: dict[int, set[int]] = field(default_factory=dict)

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def may_join(self, first: int, second: int, *, hard_only: bool = False) -> bool:
        """Whether joining breaks no constraint (with ``hard_only``, no cannot-link one)."""
        root_first, root_second = self.find(first), self.find(second)
        if root_first == root_second:
            return True
        kept_apart = (
            self.never[root_first]
            if hard_only
            else (self.never[root_first] | self.apart[root_first])
        )
        return root_second not in {self.find(other) for other in kept_apart}

    def join(self, first: int, second: int) -> None:
        root_first, root_second = self.find(first), self.find(second)
        if root_first != root_second:
            self.parent[root_second] = root_first
            self.apart[root_first] |= self.apart.pop(root_second)
            self.never[root_first] |= self.never.pop(root_second)

    def keep_apart(self, pairs: Iterable[Pair], kind: dict[int, set[int]]) -> list[Pair]:
        """Record ``pairs`` (those of known records) in ``kind``; return them."""
        kept = [(a, b) for a, b in pairs if a in self.parent and b in self.parent]
        for first, second in kept:
            kind[first].add(second)
            kind[second].add(first)
        return kept


@dataclass(frozen=True)
class Clustering:
    """Cluster number of each record (1..N, in order of the lowest record id), and how many
    "different" decisions the "same" ones contradicted (they cannot all hold)."""

    cluster_of: dict[int, int]
    contradictions: int


def cluster_records(
    records: Iterable[int],
    scored_pairs: Iterable[tuple[int, int, float]],
    threshold: float,
    *,
    same: Iterable[Pair] = (),
    different: Iterable[Pair] = (),
    cannot_link: Iterable[Pair] = (),
) -> Clustering:
    """Join records by reviewers' "same" pairs (unless that joins a ``cannot_link`` pair),
    then by scored pairs at or above ``threshold`` (strongest first) unless that would join a
    "different" or cannot-link pair."""
    clusterings = cluster_at_thresholds(
        records, scored_pairs, [threshold], same=same, different=different,
        cannot_link=cannot_link,
    )  # fmt: skip
    return clusterings[threshold]


def cluster_at_thresholds(
    records: Iterable[int],
    scored_pairs: Iterable[tuple[int, int, float]],
    thresholds: Iterable[float],
    *,
    same: Iterable[Pair] = (),
    different: Iterable[Pair] = (),
    cannot_link: Iterable[Pair] = (),
) -> dict[float, Clustering]:
    """The clustering of :func:`cluster_records` at each threshold, in one pass.

    Links are added strongest first, so the clustering at a threshold is the state after the
    links at or above it: one pass, read off as it goes down past each threshold, gives every
    clustering exactly as a run at that threshold alone would (same decisions, same order).
    It is also why a higher threshold's clusters are always a split of a lower one's: what
    the linkage sensitivity figures rely on (docs/methods.md).
    """
    components = _Components()
    for record in sorted(records):
        components.parent[record] = record
        components.apart[record] = set()
        components.never[record] = set()
    different = components.keep_apart(different, components.apart)
    components.keep_apart(cannot_link, components.never)
    known = components.parent.keys()
    overruled = 0
    for first, second in same:
        if first in known and second in known:
            if components.may_join(first, second, hard_only=True):
                components.join(first, second)
            else:
                overruled += 1
    contradictions = overruled + sum(components.find(a) == components.find(b) for a, b in different)
    strongest_first = sorted(scored_pairs, key=lambda pair: (-pair[2], pair[0], pair[1]))
    pending = sorted(set(thresholds), reverse=True)
    found: dict[float, Clustering] = {}
    for first, second, probability in strongest_first:
        while pending and probability < pending[0]:
            found[pending.pop(0)] = Clustering(_numbered(components), contradictions)
        if not pending:
            break
        if components.may_join(first, second):
            components.join(first, second)
    for threshold in pending:
        found[threshold] = Clustering(_numbered(components), contradictions)
    return found


def _numbered(components: _Components) -> dict[int, int]:
    numbers: dict[int, int] = {}
    cluster_of: dict[int, int] = {}
    for record in sorted(components.parent):
        root = components.find(record)
        cluster_of[record] = numbers.setdefault(root, len(numbers) + 1)
    return cluster_of


__all__ = ["Clustering", "cluster_at_thresholds", "cluster_records"]
