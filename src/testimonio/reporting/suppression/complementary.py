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

from testimonio.reporting.suppression.problem import ReleaseProblem, SuppressionError
from testimonio.reporting.suppression.rules import Protection

__all__ = ["Pattern", "complementary_suppression"]

#: A requirement counts as met within this margin (HiGHS's own feasibility tolerance is 1e-7).
TOLERANCE = 1e-6
#: Reduced costs closer to zero than this are zero (they only decide a cut's coefficients).
DUAL_ZERO = 1e-9
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
    cuts = [
        cut for protection in problem.protections for cut in _equation_cuts(problem, protection)
    ]
    total = 0
    for rounds in range(1, MAX_ROUNDS + 1):
        _add_cuts(master, cuts)
        total += len(cuts)
        suppressed = _solve(master)
        cuts = _separate(problem, suppressed)
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
    master = highspy.Highs()
    for option, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", 0),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 1e-9),
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


def _equation_cuts(problem: ReleaseProblem, protection: Protection) -> list[_Cut]:
    """The set-cover cuts: a protected value must be able to move inside every equation."""
    position = {key: number for number, key in enumerate(problem.keys)}
    cells = [position[key] for key in protection.cells]
    if protection.reason != "small cell":
        return [_Cut(np.array(cells, dtype=np.int32), np.ones(len(cells)), 1.0)]
    cell = cells[0]
    matrix = problem.equations
    column = sparse.csc_array(matrix)[:, [cell]]
    cuts = []
    for row in column.indices:
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


def _separate(problem: ReleaseProblem, suppressed: npt.NDArray[np.bool_]) -> list[_Cut]:
    """The dual cut of every requirement the pattern fails (none when it protects all)."""
    groups = _groups(problem.equations, suppressed)
    position = {key: number for number, key in enumerate(problem.keys)}
    cuts = []
    for protection in problem.protections:
        target = np.array([position[key] for key in protection.cells])
        for direction, needed in ((1.0, protection.upper), (-1.0, protection.lower)):
            if needed > 0:
                cut = _requirement_cut(problem, suppressed, groups, target, direction, needed)
                if cut is not None:
                    cuts.append(cut)
    return cuts


def _groups(matrix: sparse.csr_array, suppressed: npt.NDArray[np.bool_]) -> npt.NDArray[np.int32]:
    """Connected groups of suppressed cells (linked by an equation); -1 for published cells."""
    hidden = np.flatnonzero(suppressed)
    among = abs(sparse.csr_array(matrix[:, hidden]))
    links = among.T @ among
    _, labels = csgraph.connected_components(links, directed=False)
    groups = np.full(len(suppressed), -1, dtype=np.int32)
    groups[hidden] = labels
    return groups


def _requirement_cut(
    problem: ReleaseProblem,
    suppressed: npt.NDArray[np.bool_],
    groups: npt.NDArray[np.int32],
    target: npt.NDArray[np.int_],
    direction: float,
    needed: float,
) -> _Cut | None:
    """Solve ``max direction * sum(z[target])``; if short of ``needed``, its dual cut."""
    hidden_targets = target[suppressed[target]]
    columns = np.flatnonzero(np.isin(groups, np.unique(groups[hidden_targets])))
    rows = np.unique(sparse.csc_array(problem.equations[:, columns]).indices)
    if len(columns) == 0:
        gain: float | None = 0.0
        duals = np.zeros(0)
    else:
        block = sparse.csr_array(problem.equations[rows][:, columns])
        gain, duals = _deviation_lp(
            block, problem.counts[columns], np.isin(columns, target).astype(np.float64) * direction
        )
    if gain is None or gain >= needed - TOLERANCE:
        return None
    # Reduced costs of every cell (published ones included) under the optimal row duals.
    cost = np.zeros(len(problem.keys))
    cost[target] = -direction
    reduced = cost - problem.equations[rows].T @ duals
    coefficients = problem.counts * np.maximum(reduced, 0.0) + np.where(
        reduced < -DUAL_ZERO, needed, 0.0
    )
    coefficients = np.minimum(coefficients, needed)
    keep = coefficients > TOLERANCE
    return _Cut(np.flatnonzero(keep).astype(np.int32), coefficients[keep], float(needed))


def _deviation_lp(
    block: sparse.csr_array, counts: npt.NDArray[np.float64], gain: npt.NDArray[np.float64]
) -> tuple[float | None, npt.NDArray[np.float64]]:
    """``max gain . z`` with ``block z = 0`` and ``z >= -counts``: value (None if unbounded)."""
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)
    size = len(counts)
    solver.addVars(size, -counts, np.full(size, highspy.kHighsInf))
    solver.changeColsCost(size, np.arange(size, dtype=np.int32), -gain)
    matrix = sparse.csr_array(block)
    zeros = np.zeros(matrix.shape[0])
    solver.addRows(
        matrix.shape[0], zeros, zeros, matrix.nnz, matrix.indptr, matrix.indices, matrix.data
    )
    solver.run()
    status = solver.getModelStatus()
    if status in (
        highspy.HighsModelStatus.kUnbounded,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return None, np.zeros(matrix.shape[0])
    if status != highspy.HighsModelStatus.kOptimal:
        raise SuppressionError(f"the protection check could not be solved ({status})")
    return -solver.getInfo().objective_function_value, np.asarray(solver.getSolution().row_dual)
