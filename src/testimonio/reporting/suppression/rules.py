"""The publication rule: which numbers need protecting, and how much.

Two kinds of disclosure are protected (docs/methods.md, "Small-cell suppression"):

* **Small cells** (the threshold rule). Every cell, margin or not, with ``0 < count < k`` is
  suppressed (*primary* suppression). Its protection: whatever else is published, a reader
  must not be able to exclude that the cell is empty (lower bound 0) nor that it holds at
  least ``k`` people (upper bound ``k`` or more). The reader's interval must cover
  ``[0, k]``: the lower protection level is the count, the upper one ``k - count``.
* **Group disclosure.** A non-zero group (a margin) split along a dimension into two or more
  cells of which only one is non-zero tells every reader that *everyone* in the group has
  that value (everyone who came to port A in March was turned away by the same tactic).
  The rule asks that a reader cannot prove the other cells empty: the largest value their
  sum can take, given everything published, must be at least 1. It suppresses no cell by
  itself; the complementary suppression chooses which cells to hide to achieve it.

Zero cells are published as zero: a zero is not a person, and hiding every zero would hide
most of a sparse table. A zero may be suppressed as a complementary cell when the pattern
needs it (to hide a small cell, or a group disclosure).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from testimonio.reporting.suppression.tables import CellKey, Constraint

__all__ = ["Protection", "group_disclosures", "primary_cells", "required_protections"]


@dataclass(frozen=True, order=True)
class Protection:
    """A linear combination of cells whose value a reader must not pin down.

    ``cells`` are summed (each with coefficient 1); ``value`` is their true sum. The reader's
    largest feasible value must reach ``value + upper`` and their smallest ``value - lower``.
    """

    cells: tuple[CellKey, ...]
    value: int
    upper: int
    lower: int
    reason: str

    def describe(self) -> str:
        """Names the cells and the rule, never a count (safe for a log or an error)."""
        names = "; ".join(
            ", ".join(f"{d}={v}" for d, v in key) or "grand total" for key in self.cells
        )
        return f"{self.reason} protection of [{names}]"


def primary_cells(counts: Mapping[CellKey, int], threshold: int) -> list[CellKey]:
    """Cells with ``0 < count < threshold``, sorted: suppressed whatever else happens."""
    return sorted(key for key, count in counts.items() if 0 < count < threshold)


def group_disclosures(
    counts: Mapping[CellKey, int], constraints: Iterable[Constraint]
) -> list[Protection]:
    """One protection per non-zero margin whose whole count sits in one of its 2+ cells."""
    found: set[Protection] = set()
    for constraint in constraints:
        if len(constraint.parts) < 2 or counts[constraint.margin] == 0:
            continue
        empty = tuple(part for part in constraint.parts if counts[part] == 0)
        if len(empty) == len(constraint.parts) - 1:
            found.add(Protection(empty, value=0, upper=1, lower=0, reason="group disclosure"))
    return sorted(found)


def required_protections(
    counts: Mapping[CellKey, int], constraints: Iterable[Constraint], threshold: int
) -> list[Protection]:
    """Everything the pattern must protect: small cells first, then group disclosures."""
    small = [
        Protection((key,), counts[key], threshold - counts[key], counts[key], "small cell")
        for key in primary_cells(counts, threshold)
    ]
    return small + group_disclosures(counts, constraints)
