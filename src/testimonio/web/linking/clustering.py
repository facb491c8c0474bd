"""Clusters of records from scored pairs, honouring what reviewers decided.

A pair decided "same" is joined whatever the model says. A pair decided "different" never ends
up in one cluster, even through a chain of other links (A-C and C-B would otherwise join A and
B): model links are added strongest first, and a link that would put a "different" pair
together is left out. Without decisions this gives the same clusters as connected components.
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

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def may_join(self, first: int, second: int) -> bool:
        root_first, root_second = self.find(first), self.find(second)
        if root_first == root_second:
            return True
        return root_second not in {self.find(other) for other in self.apart[root_first]}

    def join(self, first: int, second: int) -> None:
        root_first, root_second = self.find(first), self.find(second)
        if root_first != root_second:
            self.parent[root_second] = root_first
            self.apart[root_first] |= self.apart.pop(root_second)


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
) -> Clustering:
    """Join records by reviewers' "same" pairs, then by scored pairs at or above ``threshold``
    (strongest first) unless that would join a "different" pair."""
    components = _Components()
    for record in sorted(records):
        components.parent[record] = record
        components.apart[record] = set()
    known = components.parent.keys()
    different = [(a, b) for a, b in different if a in known and b in known]
    for first, second in different:
        components.apart[first].add(second)
        components.apart[second].add(first)
    for first, second in same:
        if first in known and second in known:
            components.join(first, second)
    contradictions = sum(components.find(a) == components.find(b) for a, b in different)
    strongest_first = sorted(scored_pairs, key=lambda pair: (-pair[2], pair[0], pair[1]))
    for first, second, probability in strongest_first:
        if probability >= threshold and components.may_join(first, second):
            components.join(first, second)
    return Clustering(_numbered(components), contradictions)


def _numbered(components: _Components) -> dict[int, int]:
    numbers: dict[int, int] = {}
    cluster_of: dict[int, int] = {}
    for record in sorted(components.parent):
        root = components.find(record)
        cluster_of[record] = numbers.setdefault(root, len(numbers) + 1)
    return cluster_of
