"""Count tables as a release publishes them: cells, ``Total`` margins, hierarchies and links.

A *cell* is identified across every table of a release by its :data:`CellKey`: the sorted
pairs (dimension, value) of the dimensions it is not totalled over. So the cell "port A,
tactic Total" of a port x tactic table and the cell "port A, nationality Total" of a port x
nationality table have the same key ``(("port", "A"),)``: they are one number, published
once, and the tables are *linked* through it. The grand total has the empty key.

What must always hold: every margin equals the sum of its cells, in every table and along
every dimension (:func:`linear_constraints` lists those equations), and two tables that share
a cell agree on its count (:func:`release_counts` refuses them otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product

from testimonio.errors import InputError

__all__ = [
    "CellKey",
    "Constraint",
    "Dimension",
    "TOTAL",
    "Table",
    "cell_key",
    "linear_constraints",
    "release_counts",
]

#: The value a dimension takes on a margin (the root of every hierarchy).
TOTAL = "Total"

#: A cell's identity across tables: sorted (dimension, value) pairs, ``Total`` dimensions left out.
CellKey = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Dimension:
    """One classification of the table (port, tactic, month), possibly hierarchical.

    ``children`` maps a value to the values directly under it; ``children[TOTAL]`` lists the
    top level. Port within region is ``{"Total": ("North", "South"), "North": ("A", "B"),
    "South": ("C",)}``; a flat dimension has only the ``Total`` entry. Values are unique
    within a dimension, so a value names one node of the tree.
    """

    name: str
    children: Mapping[str, tuple[str, ...]]
    parent: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parent: dict[str, str] = {}
        pending = [TOTAL]
        while pending:
            value = pending.pop()
            for child in self.children.get(value, ()):
                if child == TOTAL or child in parent:
                    raise InputError(
                        f"dimension {self.name!r}: value {child!r} appears twice or is 'Total'"
                    )
                parent[child] = value
                pending.append(child)
        unreachable = set(self.children) - set(parent) - {TOTAL}
        if unreachable:
            raise InputError(
                f"dimension {self.name!r}: {sorted(unreachable)} are not under 'Total'"
            )
        object.__setattr__(self, "parent", parent)

    @classmethod
    def flat(cls, name: str, values: Sequence[str]) -> Dimension:
        """A dimension with one level under its total (tactic, nationality)."""
        return cls(name, {TOTAL: tuple(values)})

    @classmethod
    def nested(cls, name: str, groups: Mapping[str, Sequence[str]]) -> Dimension:
        """Two levels: groups and their members (ports within regions, months within years)."""
        children: dict[str, tuple[str, ...]] = {TOTAL: tuple(groups)}
        children.update({group: tuple(members) for group, members in groups.items()})
        return cls(name, children)

    def values(self) -> list[str]:
        """Every node, ``Total`` first, each group before its members (the tidy CSV's order)."""
        ordered: list[str] = []
        pending = [TOTAL]
        while pending:
            value = pending.pop()
            ordered.append(value)
            pending.extend(reversed(self.children.get(value, ())))
        return ordered

    def is_leaf(self, value: str) -> bool:
        return value != TOTAL and not self.children.get(value)

    def ancestors(self, value: str) -> list[str]:
        """The value itself, then each node above it up to ``Total``."""
        chain = [value]
        while chain[-1] != TOTAL:
            chain.append(self.parent[chain[-1]])
        return chain


def cell_key(dimensions: Sequence[Dimension], values: Sequence[str]) -> CellKey:
    """The release-wide identity of the cell at ``values`` of a table with ``dimensions``."""
    return tuple(
        sorted(
            (dimension.name, value)
            for dimension, value in zip(dimensions, values, strict=True)
            if value != TOTAL
        )
    )


@dataclass(frozen=True)
class Table:
    """A count table: counts given for its finest cells; every margin is summed from them.

    ``counts`` maps a tuple of leaf values (one per dimension, in order) to a count; leaf
    cells not given are zero. Margins are computed here, never taken from the caller, so a
    table is always additive.
    """

    name: str
    dimensions: tuple[Dimension, ...]
    counts: Mapping[tuple[str, ...], int]

    def cells(self) -> dict[tuple[str, ...], int]:
        """Every cell of the table (leaves and margins) with its count."""
        totals = {values: 0 for values in product(*(d.values() for d in self.dimensions))}
        for values, count in sorted(self.counts.items()):
            self._check_leaf(values, count)
            chains = [d.ancestors(v) for d, v in zip(self.dimensions, values, strict=True)]
            for margin in product(*chains):
                totals[margin] += count
        return totals

    def addresses(self) -> Iterator[tuple[tuple[str, ...], CellKey]]:
        """Each cell's values in this table, with its release-wide key."""
        for values in product(*(d.values() for d in self.dimensions)):
            yield values, cell_key(self.dimensions, values)

    def _check_leaf(self, values: tuple[str, ...], count: object) -> None:
        if len(values) != len(self.dimensions) or not all(
            d.is_leaf(v) for d, v in zip(self.dimensions, values, strict=False)
        ):
            raise InputError(
                f"table {self.name!r}: cell {values!r} is not a combination of finest values "
                f"of {[d.name for d in self.dimensions]}"
            )
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise InputError(f"table {self.name!r}: cell {values!r} needs a count >= 0")


@dataclass(frozen=True)
class Constraint:
    """``margin = sum(parts)``: what any reader of the tables knows holds."""

    margin: CellKey
    parts: tuple[CellKey, ...]


def linear_constraints(tables: Iterable[Table]) -> list[Constraint]:
    """Every "margin = sum of its cells" equation across the tables, each once, sorted.

    A cell with children along a dimension (a total, a region, a year) equals the sum of
    the cells that replace that value by each child, the other values held.
    """
    found: set[Constraint] = set()
    for table in tables:
        names = [d.name for d in table.dimensions]
        if len(set(names)) != len(names):
            raise InputError(f"table {table.name!r}: a dimension appears twice in {names}")
        # Every cell's key once (each cell is a part of one equation per dimension).
        keys = dict(table.addresses())
        for values, key in keys.items():
            for position, dimension in enumerate(table.dimensions):
                children = dimension.children.get(values[position], ())
                if not children:
                    continue
                parts = tuple(sorted(keys[_replace(values, position, child)] for child in children))
                found.add(Constraint(key, parts))
    return sorted(found, key=lambda constraint: (constraint.margin, constraint.parts))


def _replace(values: tuple[str, ...], position: int, value: str) -> tuple[str, ...]:
    return (*values[:position], value, *values[position + 1 :])


def release_counts(tables: Iterable[Table]) -> dict[CellKey, int]:
    """Each distinct cell of the tables with its count; linked tables must agree."""
    counts: dict[CellKey, int] = {}
    for table in tables:
        for values, count in table.cells().items():
            key = cell_key(table.dimensions, values)
            if counts.setdefault(key, count) != count:
                raise InputError(
                    f"table {table.name!r}: cell {values!r} is shared with another table "
                    "that gives it a different count; linked tables must count the same people"
                )
    return dict(sorted(counts.items()))
