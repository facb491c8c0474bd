"""The audit: what a reader who tries to recover a hidden cell can prove, and whether it is enough.

Separate from the solver on purpose (it does not trust the pattern it is given, nor the
solver's programs): it takes every published number (this release and earlier ones) and
every equation, and checks each requirement of the rule (:mod:`rules`) against what a reader
can prove, and that no small cell is published. A release whose audit fails is refused
(:func:`require_safe`).

A requirement "the reader cannot exclude that the cell holds ``k`` or more" is shown by one
*table a reader could believe*: non-negative hidden counts, the published ones as published,
every equation true, the cell at ``k`` or more. The audit finds such tables with its own
linear programs, many requirements at a time (one program per connected group of hidden
cells maximises the open requirements' cells, each capped at what it needs), and checks each
table itself with numpy before it counts as proof. The solver may *offer* the tables it found
(``offered``: how far each moves the hidden cells from their counts); they are checked with
the same numpy test (only hidden cells moved, every equation true, no negative count) and
count only when they pass it, so an offer can save the audit programs but never pass a
requirement by itself. What no table shows is decided by the
reader's exact program (the largest or smallest value the cell can take); a requirement
fails only on that program's answer. ``AuditReport.intervals`` holds, for every protected
cell, the range the reader cannot exclude: its ends are values of believable tables, or the
exact bounds where a program was solved. :func:`reader_interval` gives any hidden cell's
exact interval.

The reader is allowed fractions; for two-way tables the bounds are whole numbers anyway, for
some linked or three-way tables a reader restricted to whole numbers could do slightly better
(docs/methods.md, limits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph

from testimonio.reporting.suppression.highs import equality_program
from testimonio.reporting.suppression.problem import ReleaseProblem, SuppressionError
from testimonio.reporting.suppression.tables import CellKey

__all__ = ["AuditReport", "Deviation", "audit_pattern", "reader_interval", "require_safe"]

#: A table a reader could believe, as the cells it moves and how far: ``(cells, moves)``.
Deviation = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]

#: Slack for floating-point bounds (counts are whole numbers, so this never hides a person).
TOLERANCE = 1e-6
#: Stop batching when a batch shows fewer than this share of the open requirements.
BATCH_YIELD = 0.1


@dataclass(frozen=True)
class AuditReport:
    """For every protected cell, the range a reader cannot exclude; every failing requirement."""

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


def audit_pattern(
    problem: ReleaseProblem,
    suppressed: npt.NDArray[np.bool_],
    offered: Sequence[Deviation] = (),
) -> AuditReport:
    """Audit a pattern (``suppressed[j]`` hides cell ``j``) against the problem's rule.

    ``offered`` tables (e.g. the solver's) are used only once checked here (:mod:`.audit`).
    """
    readers = _readers(problem, suppressed)
    failures = _published_small_cells(problem, readers.hidden)
    failures += _inconsistent_equations(readers)
    position = {key: number for number, key in enumerate(problem.keys)}
    single = [p for p in problem.protections if len(p.cells) == 1]
    cells = np.array([position[p.cells[0]] for p in single], dtype=np.int64)
    goal = {
        1.0: np.array([p.value + p.upper for p in single], dtype=np.float64),
        -1.0: np.array([p.value - p.lower for p in single], dtype=np.float64),
    }
    # The range each cell is shown to reach: first its published or true count.
    reach = {1.0: problem.counts[cells].copy(), -1.0: problem.counts[cells].copy()}
    checked = readers.checked_offers(offered)
    readers.widen(checked, cells, reach)
    tables = readers.believable_tables(cells, goal, reach)
    for number, protection in enumerate(single):
        for direction, word in ((1.0, "above"), (-1.0, "below")):
            if direction * (reach[direction][number] - goal[direction][number]) >= -TOLERANCE:
                continue
            cell = int(cells[number])
            exact = (
                readers.extreme([cell], direction)
                if readers.hidden[cell]
                else reach[direction][number]
            )
            reach[direction][number] = exact
            if direction * (exact - goal[direction][number]) < -TOLERANCE:
                failures.append(f"{protection.describe()}: a reader can bound it from {word}")
    for protection in problem.protections:
        if len(protection.cells) == 1:
            continue
        target = np.array([position[key] for key in protection.cells])
        needed = protection.value + protection.upper
        if any(table[target].sum() >= needed - TOLERANCE for table in tables):
            continue
        moved = problem.counts[target].sum() + checked[target].sum(axis=0)
        if checked.shape[1] and moved.max() >= needed - TOLERANCE:
            continue
        if readers.sum_extreme(target, 1.0) < needed - TOLERANCE:
            failures.append(f"{protection.describe()}: a reader can bound it from above")
    intervals = {
        problem.keys[int(cell)]: (float(reach[-1.0][number]), float(reach[1.0][number]))
        for number, cell in enumerate(cells)
        if readers.hidden[cell]
    }
    return AuditReport(intervals, failures)


def reader_interval(
    problem: ReleaseProblem, suppressed: npt.NDArray[np.bool_], key: CellKey
) -> tuple[float, float]:
    """The exact smallest and largest value a reader can prove for one cell."""
    readers = _readers(problem, suppressed)
    column = problem.keys.index(key)
    if not readers.hidden[column]:
        return float(problem.counts[column]), float(problem.counts[column])
    return readers.extreme([column], -1.0), readers.extreme([column], 1.0)


def _readers(problem: ReleaseProblem, suppressed: npt.NDArray[np.bool_]) -> _Readers:
    hidden = (suppressed | problem.unknown_earlier) & ~problem.known
    return _Readers(sparse.csr_array(problem.equations), hidden, problem.counts)


def _published_small_cells(problem: ReleaseProblem, hidden: npt.NDArray[np.bool_]) -> list[str]:
    small = problem.current & ~hidden & (problem.counts > 0) & (problem.counts < problem.threshold)
    return [
        f"cell {problem.keys[j]} is under the threshold and published"
        for j in np.flatnonzero(small)
    ]


def _inconsistent_equations(readers: _Readers) -> list[str]:
    """Equations with no hidden cell must hold among the published numbers."""
    touches = abs(readers.equations) @ readers.hidden.astype(np.float64)
    broken = np.flatnonzero((touches == 0) & (np.abs(readers.right_side) > TOLERANCE))
    return [f"equation {row} does not add up among published cells" for row in broken]


class _Readers:
    """One linear program per connected group of hidden cells, re-solved per objective.

    Its variables are the hidden counts themselves (``>= 0``); the published counts move to
    the right side of each equation.
    """

    def __init__(
        self,
        equations: sparse.csr_array,
        hidden: npt.NDArray[np.bool_],
        counts: npt.NDArray[np.float64],
    ) -> None:
        self.hidden = hidden
        self.counts = counts
        self.equations = equations
        self.right_side = -(equations @ np.where(hidden, 0.0, counts))
        self.columns = np.flatnonzero(hidden)
        among = sparse.csr_array(abs(equations[:, self.columns]))
        _, labels = csgraph.connected_components(among.T @ among, directed=False)
        self.labels = np.full(len(hidden), -1, dtype=np.int64)
        self.labels[self.columns] = labels
        self.solvers: dict[int, tuple[highspy.Highs, npt.NDArray[np.int_]]] = {}

    def believable_tables(
        self,
        cells: npt.NDArray[np.int64],
        goal: dict[float, npt.NDArray[np.float64]],
        reach: dict[float, npt.NDArray[np.float64]],
    ) -> list[npt.NDArray[np.float64]]:
        """Tables a reader could believe, found in batches; ``reach`` widened by each one."""
        tables: list[npt.NDArray[np.float64]] = []
        first = 1.0
        while True:
            unmet = {d: d * (reach[d] - goal[d]) < -TOLERANCE for d in reach}
            unmet = {d: unmet[d] & self.hidden[cells] for d in unmet}
            waiting = int(unmet[1.0].sum() + unmet[-1.0].sum())
            if waiting == 0:
                return tables
            if first > 0:
                up, down = unmet[1.0], unmet[-1.0] & ~unmet[1.0]
            else:
                down, up = unmet[-1.0], unmet[1.0] & ~unmet[-1.0]
            table = self.counts.copy()
            for label in np.unique(self.labels[cells[up | down]]):
                self._batch(int(label), cells, goal, up, down, table)
            if not self._believable(table):
                return tables
            tables.append(table)
            reach[1.0] = np.maximum(reach[1.0], table[cells])
            reach[-1.0] = np.minimum(reach[-1.0], table[cells])
            still = sum(int((d * (reach[d] - goal[d]) < -TOLERANCE).sum()) for d in reach)
            if waiting - still < max(1.0, BATCH_YIELD * waiting):
                return tables
            first = -first

    def checked_offers(self, offered: Sequence[Deviation]) -> sparse.csr_array:
        """The offered deviations that pass the test of a believable table, as the columns of
        a (cells x tables) matrix: they move hidden cells only, keep every equation true
        (absolute error under ``TOLERANCE``) and leave no count negative."""
        size = len(self.hidden)
        base = self.equations @ self.counts
        if not offered or np.any(np.abs(base) > 0):
            return sparse.csr_array((size, 0))
        lengths = np.array([len(cells) for cells, _ in offered], dtype=np.int64)
        cells = np.concatenate([np.asarray(c, dtype=np.int64) for c, _ in offered])
        moves = np.concatenate([np.asarray(m, dtype=np.float64) for _, m in offered])
        owner = np.repeat(np.arange(len(offered)), lengths)
        wrong = ~self.hidden[cells] | (self.counts[cells] + moves < -TOLERANCE)
        matrix = sparse.csc_array(
            (moves, cells, np.concatenate([[0], np.cumsum(lengths)])),
            shape=(size, len(offered)),
        )
        residual = abs(sparse.csc_array(self.equations @ matrix))
        worst = _dense(residual.max(axis=0)) if residual.nnz else np.zeros(len(offered))
        good = (np.bincount(owner, weights=wrong, minlength=len(offered)) == 0) & (
            worst <= TOLERANCE
        )
        return sparse.csr_array(matrix[:, np.flatnonzero(good)])

    def widen(
        self,
        checked: sparse.csr_array,
        cells: npt.NDArray[np.int64],
        reach: dict[float, npt.NDArray[np.float64]],
    ) -> None:
        """Widen each cell's range to what the checked tables show it can be."""
        if not checked.shape[1]:
            return
        rows = sparse.csr_array(checked[cells])
        reach[1.0] = np.maximum(reach[1.0], self.counts[cells] + _dense(rows.max(axis=1)))
        reach[-1.0] = np.minimum(reach[-1.0], self.counts[cells] + _dense(rows.min(axis=1)))

    def _believable(self, table: npt.NDArray[np.float64]) -> bool:
        """Checked here, not taken from the solver: every equation true, no negative count."""
        residual = np.abs(self.equations @ table)
        scale = 1.0 + abs(self.equations) @ np.abs(table)
        published = np.array_equal(table[~self.hidden], self.counts[~self.hidden])
        return published and bool(
            np.all(residual <= TOLERANCE * scale) and np.all(table >= -TOLERANCE)
        )

    def _batch(
        self,
        label: int,
        cells: npt.NDArray[np.int64],
        goal: dict[float, npt.NDArray[np.float64]],
        up: npt.NDArray[np.bool_],
        down: npt.NDArray[np.bool_],
        table: npt.NDArray[np.float64],
    ) -> None:
        """Push the group's open cells towards their goals, each no further than its goal."""
        solver, members = self._solver(label)
        local = {int(cell): number for number, cell in enumerate(members)}
        size = len(members)
        cost, lower, upper = np.zeros(size), np.zeros(size), np.full(size, highspy.kHighsInf)
        for mask, direction in ((up, 1.0), (down, -1.0)):
            for number in np.flatnonzero(mask & (self.labels[cells] == label)):
                column = local[int(cells[number])]
                cost[column] = -direction
                if direction > 0:
                    upper[column] = goal[1.0][number]
                else:
                    lower[column] = max(0.0, goal[-1.0][number])
        every = np.arange(size, dtype=np.int32)
        solver.changeColsCost(size, every, cost)
        solver.changeColsBounds(size, every, lower, upper)
        solver.run()
        status = solver.getModelStatus()
        solver.changeColsBounds(size, every, np.zeros(size), np.full(size, highspy.kHighsInf))
        if status != highspy.HighsModelStatus.kOptimal:
            raise SuppressionError(f"the audit's linear program could not be solved ({status})")
        table[members] = solver.getSolution().col_value

    def extreme(self, cells: list[int], sense: float) -> float:
        """``max`` (sense 1) or ``min`` (sense -1) of the sum of hidden ``cells``."""
        solver, members = self._solver(int(self.labels[cells[0]]))
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

    def sum_extreme(self, cells: npt.NDArray[np.int_], sense: float) -> float:
        """The extreme of ``sum(cells)``: published ones add their count, groups add apart."""
        fixed = float(self.counts[cells[~self.hidden[cells]]].sum())
        groups: dict[int, list[int]] = {}
        for cell in cells[self.hidden[cells]]:
            groups.setdefault(int(self.labels[cell]), []).append(int(cell))
        return fixed + sum(self.extreme(group, sense) for group in groups.values())

    def _solver(self, label: int) -> tuple[highspy.Highs, npt.NDArray[np.int_]]:
        if label not in self.solvers:
            members = np.flatnonzero(self.labels == label)
            rows = np.unique(sparse.csc_array(self.equations[:, members]).indices)
            block = sparse.csr_array(self.equations[rows][:, members])
            solver = equality_program(block, np.zeros(len(members)), self.right_side[rows])
            self.solvers[label] = (solver, members)
        return self.solvers[label]


def _dense(values: object) -> npt.NDArray[np.float64]:
    """A 1-d result of a sparse reduction (scipy gives a sparse or a dense one) as numpy."""
    array = values.toarray() if hasattr(values, "toarray") else values
    return np.asarray(array, dtype=np.float64).ravel()
