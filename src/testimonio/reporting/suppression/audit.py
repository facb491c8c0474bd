"""The audit: what a reader who tries to recover a hidden cell can prove, and whether it is enough.

Separate from the solver on purpose (it does not trust the pattern it is given): it takes
every published number (this release and earlier ones) and every equation, and for each
suppressed cell solves the reader's two linear programs, the smallest and the largest value
the cell can take with all hidden cells non-negative and every equation true. Then it checks
each requirement of the rule (:mod:`rules`) against those intervals, and that no small cell
is published. A release whose audit fails is refused (:func:`require_safe`).

The reader is allowed fractions; for two-way tables the bounds are whole numbers anyway, for
some linked or three-way tables a reader restricted to whole numbers could do slightly better
(docs/methods.md, limits).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph

from testimonio.reporting.suppression.highs import resolving_solver
from testimonio.reporting.suppression.problem import ReleaseProblem, SuppressionError
from testimonio.reporting.suppression.tables import CellKey

__all__ = ["AuditReport", "audit_pattern", "require_safe"]

#: Slack for floating-point bounds (counts are whole numbers, so this never hides a person).
TOLERANCE = 1e-6


@dataclass(frozen=True)
class AuditReport:
    """The reader's interval for every suppressed cell, and every requirement that fails."""

    intervals: dict[CellKey, tuple[float, float]]
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def require_safe(report: AuditReport) -> None:
    """Refuse the release when the audit found any cell a reader could recover."""
    if not report.passed:
        raise SuppressionError(
            f"the suppression audit failed ({len(report.failures)} problems): {report.failures[0]}"
        )


def audit_pattern(problem: ReleaseProblem, suppressed: npt.NDArray[np.bool_]) -> AuditReport:
    """Audit a pattern (``suppressed[j]`` hides cell ``j``) against the problem's rule."""
    hidden = (suppressed | problem.unknown_earlier) & ~problem.known
    failures = _published_small_cells(problem, hidden)
    equations = sparse.csr_array(problem.equations)
    published = np.where(hidden, 0.0, problem.counts)
    right_side = -(equations @ published)
    failures += _inconsistent_equations(equations, hidden, right_side)
    readers = _Readers(equations, hidden, right_side)
    intervals = {problem.keys[j]: readers.interval(int(j)) for j in np.flatnonzero(hidden)}
    position = {key: number for number, key in enumerate(problem.keys)}
    for protection in problem.protections:
        cells = np.array([position[key] for key in protection.cells])
        lowest, highest = readers.sum_bounds(cells, problem.counts)
        if highest < protection.value + protection.upper - TOLERANCE:
            failures.append(f"{protection.describe()}: a reader can bound it from above")
        if lowest > protection.value - protection.lower + TOLERANCE:
            failures.append(f"{protection.describe()}: a reader can bound it from below")
    return AuditReport(intervals, failures)


def _published_small_cells(problem: ReleaseProblem, hidden: npt.NDArray[np.bool_]) -> list[str]:
    small = problem.current & ~hidden & (problem.counts > 0) & (problem.counts < problem.threshold)
    return [
        f"cell {problem.keys[j]} is under the threshold and published"
        for j in np.flatnonzero(small)
    ]


def _inconsistent_equations(
    equations: sparse.csr_array, hidden: npt.NDArray[np.bool_], right_side: npt.NDArray[np.float64]
) -> list[str]:
    """Equations with no hidden cell must hold among the published numbers."""
    touches = abs(equations) @ hidden.astype(np.float64)
    broken = np.flatnonzero((touches == 0) & (np.abs(right_side) > TOLERANCE))
    return [f"equation {row} does not add up among published cells" for row in broken]


class _Readers:
    """One linear program per connected group of hidden cells, re-solved per objective."""

    def __init__(
        self,
        equations: sparse.csr_array,
        hidden: npt.NDArray[np.bool_],
        right_side: npt.NDArray[np.float64],
    ) -> None:
        self.columns = np.flatnonzero(hidden)
        among = sparse.csr_array(abs(equations[:, self.columns]))
        _, self.labels = csgraph.connected_components(among.T @ among, directed=False)
        self.where = {int(column): number for number, column in enumerate(self.columns)}
        self.equations = equations
        self.right_side = right_side
        self.solvers: dict[int, tuple[highspy.Highs, npt.NDArray[np.int_]]] = {}

    def interval(self, column: int) -> tuple[float, float]:
        return self._extreme([column], -1.0), self._extreme([column], 1.0)

    def sum_bounds(
        self, cells: npt.NDArray[np.int_], counts: npt.NDArray[np.float64]
    ) -> tuple[float, float]:
        """Smallest and largest ``sum(cells)``: published ones add their count."""
        fixed = float(sum(counts[cell] for cell in cells if int(cell) not in self.where))
        hidden = [int(cell) for cell in cells if int(cell) in self.where]
        groups: dict[int, list[int]] = {}
        for cell in hidden:
            groups.setdefault(int(self.labels[self.where[cell]]), []).append(cell)
        lowest = fixed + sum(self._extreme(group, -1.0) for group in groups.values())
        highest = fixed + sum(self._extreme(group, 1.0) for group in groups.values())
        return lowest, highest

    def _extreme(self, cells: list[int], sense: float) -> float:
        """``max`` (sense 1) or ``min`` (sense -1) of the sum of hidden ``cells``."""
        solver, members = self._solver(int(self.labels[self.where[cells[0]]]))
        cost = sense * -np.isin(members, cells).astype(np.float64)
        solver.changeColsCost(len(members), np.arange(len(members), dtype=np.int32), cost)
        solver.run()
        status = solver.getModelStatus()
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return float("inf") if sense > 0 else float("-inf")
        if status != highspy.HighsModelStatus.kOptimal:
            raise SuppressionError(f"the audit's linear program could not be solved ({status})")
        return -sense * solver.getInfo().objective_function_value

    def _solver(self, label: int) -> tuple[highspy.Highs, npt.NDArray[np.int_]]:
        if label not in self.solvers:
            members = self.columns[self.labels == label]
            rows = np.unique(sparse.csc_array(self.equations[:, members]).indices)
            block = sparse.csr_array(self.equations[rows][:, members])
            solver = resolving_solver()
            solver.addVars(
                len(members), np.zeros(len(members)), np.full(len(members), highspy.kHighsInf)
            )
            bound = self.right_side[rows]
            solver.addRows(
                len(rows), bound, bound, block.nnz, block.indptr, block.indices, block.data
            )
            self.solvers[label] = (solver, members)
        return self.solvers[label]
