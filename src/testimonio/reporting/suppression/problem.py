"""One release as a numbered problem: every cell, every equation, what is already known.

The cells of this release and of earlier releases are numbered in sorted key order (so the
same input always gives the same model, and so the same pattern). Earlier releases count
the same people (e.g. other tables from the same snapshot): a cell they published is known
to every reader for good, a cell they suppressed stays unknown and, if small, protected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from testimonio.errors import TestimonioError
from testimonio.reporting.suppression.rules import Protection, required_protections
from testimonio.reporting.suppression.tables import (
    CellKey,
    Table,
    linear_constraints,
    release_counts,
)

__all__ = ["EarlierTable", "ReleaseProblem", "SuppressionError", "build_problem"]


class SuppressionError(TestimonioError):
    """The tables cannot be published safely under the rule (the message says why)."""


@dataclass(frozen=True)
class EarlierTable:
    """A table as an earlier release published it: ``suppressed`` lists its hidden cells.

    Cells are named by their values in this table (the rows of its tidy CSV).
    """

    table: Table
    suppressed: frozenset[tuple[str, ...]]

    def published_keys(self) -> set[CellKey]:
        return {key for values, key in self.table.addresses() if values not in self.suppressed}

    def suppressed_keys(self) -> set[CellKey]:
        return {key for values, key in self.table.addresses() if values in self.suppressed}


@dataclass(frozen=True)
class ReleaseProblem:
    """Cells (sorted keys), counts, ``margin - sum(parts) = 0`` rows, and what is fixed."""

    keys: list[CellKey]
    counts: npt.NDArray[np.float64]
    equations: sparse.csr_array
    current: npt.NDArray[np.bool_]
    known: npt.NDArray[np.bool_]
    unknown_earlier: npt.NDArray[np.bool_]
    protections: list[Protection]
    already_disclosed: list[Protection]
    threshold: int

    def position(self, key: CellKey) -> int:
        """The cell's column in the model."""
        return self.keys.index(key)


def build_problem(
    tables: Sequence[Table], threshold: int, earlier: Sequence[EarlierTable] = ()
) -> ReleaseProblem:
    """Number the cells of the release and earlier releases and list what must be protected."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise SuppressionError("the publication threshold k must be a whole number >= 1")
    every_table = [*tables, *(item.table for item in earlier)]
    counts = release_counts(every_table)
    keys = list(counts)
    position = {key: number for number, key in enumerate(keys)}
    constraints = linear_constraints(every_table)
    rows, columns, values = [], [], []
    for row, constraint in enumerate(constraints):
        for key, sign in ((constraint.margin, 1.0), *((part, -1.0) for part in constraint.parts)):
            rows.append(row)
            columns.append(position[key])
            values.append(sign)
    equations = sparse.csr_array(
        (values, (rows, columns)), shape=(len(constraints), len(keys)), dtype=np.float64
    )
    known_keys = set().union(*(item.published_keys() for item in earlier))
    hidden_keys = set().union(*(item.suppressed_keys() for item in earlier)) - known_keys
    current_keys = {key for table in tables for _, key in table.addresses()}
    protections, disclosed = _split_disclosed(
        required_protections(counts, constraints, threshold), known_keys, current_keys
    )
    return ReleaseProblem(
        keys=keys,
        counts=np.array([counts[key] for key in keys], dtype=np.float64),
        equations=equations,
        current=np.array([key in current_keys for key in keys]),
        known=np.array([key in known_keys for key in keys]),
        unknown_earlier=np.array([key in hidden_keys - current_keys for key in keys]),
        protections=protections,
        already_disclosed=disclosed,
        threshold=threshold,
    )


def _split_disclosed(
    protections: list[Protection], known: set[CellKey], current: set[CellKey]
) -> tuple[list[Protection], list[Protection]]:
    """Set aside what earlier releases already published; refuse to publish it again here."""
    keep, disclosed = [], []
    for protection in protections:
        if not all(cell in known for cell in protection.cells):
            keep.append(protection)
            continue
        if protection.reason == "small cell" and protection.cells[0] in current:
            raise SuppressionError(
                f"an earlier release published a cell under the threshold "
                f"({protection.describe()}); it cannot be withdrawn, so this release "
                "cannot meet the rule: review the earlier release first"
            )
        disclosed.append(protection)
    return keep, disclosed
