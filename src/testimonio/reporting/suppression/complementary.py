"""Complementary suppression as an integer program (HiGHS), solved by adding cuts.

The model is Fischetti and Salazar's (Management Science 2001) in its Benders form. A binary
``x_j`` says cell ``j`` is suppressed; the objective is the information lost, the sum over
suppressed cells of ``count + 1`` (so a large margin is dear, and an empty cell still costs
something). A pattern protects a requirement "the reader's maximum of ``w . y`` reaches
``w . a + p``" exactly when the linear program

    max w . z   subject to   E z = 0,   -a_j x_j <= z_j <= (no bound) x_j

reaches ``p`` (``z`` is how far the reader may move each cell from its true count ``a`` while
keeping every equation ``E`` true). Its dual solution at a pattern that fails gives a cut
``sum_j c_j x_j >= p``, valid for every pattern, that the failing one breaks. So:

1. start with the cheap cuts each equation implies (to move a small cell, another cell of
   each of its equations must move: a set-cover model);
2. solve the integer program; check every requirement with its linear programs, over the
   connected groups of suppressed cells only; add the dual cut of each one that fails;
3. repeat until none fails.

Deterministic: cells in sorted order, one thread, a fixed seed, no time limit, gap 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph

from testimonio.reporting.suppression.highs import new_highs, resolving_solver
from testimonio.reporting.suppression.problem import ReleaseProblem, SuppressionError
from testimonio.reporting.suppression.rules import Protection
from testimonio.reporting.suppression.tables import CellKey

__all__ = ["Pattern", "complementary_suppression"]

#: A requirement counts as met within this margin (HiGHS's own feasibility tolerance is 1e-7).
TOLERANCE = 1e-6
#: Reduced costs closer to zero than this are zero (they only decide a cut's coefficients).
DUAL_ZERO = 1e-9
#: Relative optimality gap of the integer program (fixed, so the pattern is reproducible).
MIP_GAP = 1e-4
#: Safety stop: a correct model converges in far fewer rounds.
MAX_ROUNDS = 200


@dataclass(frozen=True)
class Pattern:
    """Which cells are hidden, and how the solver got there."""

    suppressed: npt.NDArray[np.bool_]
    rounds: int
    cuts: int


@dataclass(frozen=True)
class _Cut:
    columns: npt.NDArray[np.int32]
    coefficients: npt.NDArray[np.float64]
    required: float


def complementary_suppression(problem: ReleaseProblem) -> Pattern:
    """The cheapest pattern under which every requirement of ``problem`` holds."""
    master = _master(problem)
    position = {key: number for number, key in enumerate(problem.keys)}
    by_column = sparse.csc_array(problem.equations)
    cuts = [
        cut
        for protection in problem.protections
        for cut in _equation_cuts(problem, protection, position, by_column)
    ]
    total = 0
    previous = np.zeros(len(problem.keys), dtype=bool)
    shown: _Shown | None = None
    for rounds in range(1, MAX_ROUNDS + 1):
        _add_cuts(master, cuts)
        total += len(cuts)
        suppressed = _solve(master)
        # Hiding more cells only widens what a reader may believe: what held still holds.
        kept = shown if shown is not None and np.all(suppressed >= previous) else None
        cuts, shown = _separate(problem, suppressed, kept)
        previous = suppressed
        if not cuts:
            return Pattern(suppressed, rounds, total)
    raise SuppressionError(f"complementary suppression did not converge in {MAX_ROUNDS} rounds")


def _master(problem: ReleaseProblem) -> highspy.Highs:
    """Binaries, their bounds (primary and earlier-hidden 1, earlier-published 0), the cost."""
    size = len(problem.keys)
    lower = np.zeros(size)
    upper = np.ones(size)
    primary = [
        protection.cells[0]
        for protection in problem.protections
        if protection.reason == "small cell"
    ]
    position = {key: number for number, key in enumerate(problem.keys)}
    lower[[position[key] for key in primary]] = 1.0
    lower[problem.unknown_earlier] = 1.0
    upper[problem.known] = 0.0
    if np.any(lower > upper):
        raise SuppressionError("a small cell was published by an earlier release")
    cost = np.where(problem.current, problem.counts + 1.0, 0.0)
    master = new_highs()
    for option, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", 0),
        ("mip_rel_gap", MIP_GAP),
    ):
        master.setOptionValue(option, value)
    master.addVars(size, lower, upper)
    columns = np.arange(size, dtype=np.int32)
    master.changeColsCost(size, columns, cost)
    master.changeColsIntegrality(size, columns, np.full(size, highspy.HighsVarType.kInteger))
    return master


def _add_cuts(master: highspy.Highs, cuts: list[_Cut]) -> None:
    for cut in cuts:
        master.addRow(
            cut.required, highspy.kHighsInf, len(cut.columns), cut.columns, cut.coefficients
        )


def _solve(master: highspy.Highs) -> npt.NDArray[np.bool_]:
    master.run()
    if master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SuppressionError(
            "no suppression pattern can protect every small cell: cells that earlier "
            "releases published pin them down"
        )
    return np.asarray(master.getSolution().col_value) > 0.5


def _equation_cuts(
    problem: ReleaseProblem,
    protection: Protection,
    position: dict[CellKey, int],
    by_column: sparse.csc_array,
) -> list[_Cut]:
    """The set-cover cuts: a protected value must be able to move inside every equation."""
    cells = [position[key] for key in protection.cells]
    if protection.reason != "small cell":
        return [_Cut(np.array(cells, dtype=np.int32), np.ones(len(cells)), 1.0)]
    cell = cells[0]
    matrix = problem.equations
    cuts = []
    for row in by_column.indices[by_column.indptr[cell] : by_column.indptr[cell + 1]]:
        members = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
        signs = matrix.data[matrix.indptr[row] : matrix.indptr[row + 1]]
        own = signs[members == cell][0]
        others, other_signs = members[members != cell], signs[members != cell]
        for direction, needed in ((1.0, protection.upper), (-1.0, protection.lower)):
            # Another cell moving the same way as ours with the opposite sign is free to grow;
            # one that must shrink can give up at most its count.
            grows = other_signs * own * direction < 0
            capacity = np.where(grows, needed, np.minimum(problem.counts[others], needed))
            keep = capacity > 0
            cuts.append(_Cut(others[keep].astype(np.int32), capacity[keep], float(needed)))
    return cuts


#: For each direction (1 up, -1 down), which single-cell requirements are known to hold.
_Shown = dict[float, npt.NDArray[np.bool_]]


def _separate(
    problem: ReleaseProblem, suppressed: npt.NDArray[np.bool_], kept: _Shown | None
) -> tuple[list[_Cut], _Shown]:
    """The dual cut of every requirement the pattern fails (none when it protects all).

    Each program's optimal deviation is a table a reader could believe; it also shows every
    other small cell it moves far enough to be protected, whose programs are then skipped.
    """
    separator = _Separator(problem, suppressed)
    position = {key: number for number, key in enumerate(problem.keys)}
    single = [p for p in problem.protections if len(p.cells) == 1]
    cells = np.array([position[p.cells[0]] for p in single], dtype=np.int64)
    needed = {1.0: np.array([p.upper for p in single]), -1.0: np.array([p.lower for p in single])}
    shown = {direction: needed[direction] <= 0 for direction in needed}
    if kept is not None:
        shown = {direction: shown[direction] | kept[direction] for direction in shown}
    cuts = []
    for number in range(len(single)):
        for direction in (1.0, -1.0):
            if shown[direction][number]:
                continue
            cell, required = int(cells[number]), float(needed[direction][number])
            if not separator.holds_nearby(cell, direction, required):
                cut = separator.cut(cells[[number]], direction, required)
                if cut is not None:
                    cuts.append(cut)
            for seen, deviation in ((1.0, separator.deviation), (-1.0, -separator.deviation)):
                shown[seen] |= deviation[cells] >= needed[seen] - TOLERANCE
    for protection in problem.protections:
        if len(protection.cells) > 1:
            target = np.array([position[key] for key in protection.cells])
            cut = separator.cut(target, 1.0, float(protection.upper))
            if cut is not None:
                cuts.append(cut)
    return cuts, shown


class _Separator:
    """The deviation linear programs of one pattern, one per connected group of hidden cells.

    Groups are linked by no equation, so a requirement on cells of several groups is the sum
    of each group's program. Each group's program is built once and re-solved from its last
    basis with a new objective.
    """

    def __init__(self, problem: ReleaseProblem, suppressed: npt.NDArray[np.bool_]) -> None:
        self.problem = problem
        self.rows_of = sparse.csc_array(problem.equations)
        self.by_row = sparse.csr_array(problem.equations)
        hidden = np.flatnonzero(suppressed)
        among = abs(self.rows_of[:, hidden])
        self.hidden = hidden
        self.adjacency = sparse.csr_array(among.T @ among)
        self.hidden_position = np.full(len(suppressed), -1, dtype=np.int64)
        self.hidden_position[hidden] = np.arange(len(hidden))
        _, labels = csgraph.connected_components(self.adjacency, directed=False)
        self.groups = np.full(len(suppressed), -1, dtype=np.int64)
        self.groups[hidden] = labels
        self.members = {int(label): hidden[labels == label] for label in np.unique(labels)}
        self.solvers: dict[int, tuple[highspy.Highs, npt.NDArray[np.int_]]] = {}
        #: The optimal deviation of the last program solved (zero elsewhere and when unbounded).
        self.deviation = np.zeros(len(suppressed))

    def holds_nearby(self, cell: int, direction: float, needed: float) -> bool:
        """Whether moving only hidden cells within two equations of ``cell`` already suffices.

        The program restricted to those cells is the full one with the others held still, so
        a "yes" is a proof for the full one; a "no" proves nothing (the full program decides).
        """
        start = self.hidden_position[cell]
        if start < 0:
            return False
        near = {int(start)}
        for _ in range(2):
            frontier = np.array(sorted(near))
            near.update(int(n) for n in self.adjacency[frontier].indices)
        members = self.hidden[np.array(sorted(near))]
        rows = np.unique(self.rows_of[:, members].indices)
        block = sparse.csr_array(self.by_row[rows][:, members])
        solver = _deviation_solver(block, self.problem.counts[members])
        cost = -direction * (members == cell).astype(np.float64)
        solver.changeColsCost(len(members), np.arange(len(members), dtype=np.int32), cost)
        solver.run()
        status = solver.getModelStatus()
        self.deviation[:] = 0.0
        if status != highspy.HighsModelStatus.kOptimal:
            return status in (
                highspy.HighsModelStatus.kUnbounded,
                highspy.HighsModelStatus.kUnboundedOrInfeasible,
            )
        self.deviation[members] = solver.getSolution().col_value
        return -solver.getInfo().objective_function_value >= needed - TOLERANCE

    def cut(self, target: npt.NDArray[np.int_], direction: float, needed: float) -> _Cut | None:
        """``max direction * sum(z[target])``; if short of ``needed``, its dual cut."""
        gain = 0.0
        self.deviation[:] = 0.0
        rows: list[npt.NDArray[np.int_]] = []
        duals: list[npt.NDArray[np.float64]] = []
        for label in np.unique(self.groups[target]):
            if label < 0:
                continue
            value, group_rows, group_duals = self._solve(int(label), target, direction)
            if value is None:
                return None
            gain += value
            rows.append(group_rows)
            duals.append(group_duals)
        if gain >= needed - TOLERANCE:
            return None
        # Reduced costs of every cell (published ones included) under the optimal row duals.
        reduced = np.zeros(len(self.problem.keys))
        reduced[target] = -direction
        if rows:
            reduced -= self.by_row[np.concatenate(rows)].T @ np.concatenate(duals)
        coefficients = self.problem.counts * np.maximum(reduced, 0.0)
        coefficients += np.where(reduced < -DUAL_ZERO, needed, 0.0)
        coefficients = np.minimum(coefficients, needed)
        keep = coefficients > DUAL_ZERO
        return _Cut(np.flatnonzero(keep).astype(np.int32), coefficients[keep], needed)

    def _solve(
        self, label: int, target: npt.NDArray[np.int_], direction: float
    ) -> tuple[float | None, npt.NDArray[np.int_], npt.NDArray[np.float64]]:
        solver, rows = self._solver(label)
        members = self.members[label]
        cost = -direction * np.isin(members, target).astype(np.float64)
        solver.changeColsCost(len(members), np.arange(len(members), dtype=np.int32), cost)
        solver.run()
        status = solver.getModelStatus()
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return None, rows, np.zeros(len(rows))
        if status != highspy.HighsModelStatus.kOptimal:
            raise SuppressionError(f"the protection check could not be solved ({status})")
        value = -solver.getInfo().objective_function_value
        self.deviation[members] = solver.getSolution().col_value
        return value, rows, np.asarray(solver.getSolution().row_dual)

    def _solver(self, label: int) -> tuple[highspy.Highs, npt.NDArray[np.int_]]:
        """``block z = 0``, ``z >= -counts`` over the group's cells and equations."""
        if label not in self.solvers:
            members = self.members[label]
            rows = np.unique(self.rows_of[:, members].indices)
            block = sparse.csr_array(self.by_row[rows][:, members])
            solver = _deviation_solver(block, self.problem.counts[members])
            self.solvers[label] = (solver, rows)
        return self.solvers[label]


def _deviation_solver(block: sparse.csr_array, counts: npt.NDArray[np.float64]) -> highspy.Highs:
    """``block z = 0`` and ``z >= -counts``, objective set by the caller."""
    solver = resolving_solver()
    size = len(counts)
    solver.addVars(size, -counts, np.full(size, highspy.kHighsInf))
    zeros = np.zeros(block.shape[0])
    solver.addRows(block.shape[0], zeros, zeros, block.nnz, block.indptr, block.indices, block.data)
    return solver
