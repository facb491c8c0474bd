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
2. solve the integer program; check every requirement (:mod:`.separation`: most of them many
   at a time, by one capped program per connected group of suppressed cells), and add the
   dual cut of each one that fails;
3. repeat until none fails. From the second round on, every cell hidden so far stays hidden
   (:data:`FREE_ROUNDS`): the tables a reader could believe found so far stay believable, so
   what held keeps holding and only the failures need checking again. The pattern may hide a
   few more cells than the least possible (1-3% on the benchmark releases); the audit, not
   the solver, decides whether it is safe.

Deterministic: cells in sorted order, one thread, a fixed seed, no time limit, a fixed gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse

from testimonio.reporting.suppression.audit import Deviation
from testimonio.reporting.suppression.highs import new_highs
from testimonio.reporting.suppression.problem import ReleaseProblem, SuppressionError
from testimonio.reporting.suppression.separation import Cut, Witnesses, separate, spans

__all__ = ["Pattern", "complementary_suppression"]

#: Relative optimality gap of the integer program (fixed, so the pattern is reproducible).
MIP_GAP = 1e-4
#: Rounds after which the integer program may no longer drop a cell an earlier round hid:
#: from then on it only adds cells, so what was shown to hold stays shown (1-table benchmark
#: release: 2.2 instead of 8 processor seconds, 789 cells hidden instead of the optimal 773).
FREE_ROUNDS = 1
#: Safety stop: a correct model converges in far fewer rounds.
MAX_ROUNDS = 200


@dataclass(frozen=True)
class Pattern:
    """Which cells are hidden, and how the solver got there."""

    suppressed: npt.NDArray[np.bool_]
    rounds: int
    cuts: int
    #: Tables a reader could believe under the pattern, found on the way (for the audit,
    #: which checks each one before using it): the cells each moves and how far.
    witnesses: tuple[Deviation, ...] = ()


def complementary_suppression(problem: ReleaseProblem) -> Pattern:
    """A cheap pattern (near the cheapest) under which every requirement of ``problem`` holds."""
    master = _master(problem)
    cuts = _equation_cuts(problem)
    total = 0
    witnesses = Witnesses()
    for rounds in range(1, MAX_ROUNDS + 1):
        _add_cuts(master, cuts)
        total += len(cuts)
        suppressed = _solve(master)
        cuts = separate(problem, suppressed, witnesses)
        if not cuts:
            return Pattern(suppressed, rounds, total, tuple(witnesses.valid(suppressed)))
        if rounds >= FREE_ROUNDS:
            _keep_hidden(master, suppressed)
    raise SuppressionError(f"complementary suppression did not converge in {MAX_ROUNDS} rounds")


def _keep_hidden(master: highspy.Highs, suppressed: npt.NDArray[np.bool_]) -> None:
    """Later patterns hide at least what this one hides, so every table a reader could
    believe under it stays believable and what it showed stays shown (``Witnesses``)."""
    columns = np.flatnonzero(suppressed).astype(np.int32)
    ones = np.ones(len(columns))
    master.changeColsBounds(len(columns), columns, ones, ones)


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


def _add_cuts(master: highspy.Highs, cuts: list[Cut]) -> None:
    """All of a round's cuts in one call (one call per row cost a sixth of the model's
    construction on the 10-table release); the rows, in order, are the same."""
    if not cuts:
        return
    lengths = np.array([len(cut.columns) for cut in cuts], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32)
    master.addRows(
        len(cuts),
        np.array([cut.required for cut in cuts], dtype=np.float64),
        np.full(len(cuts), highspy.kHighsInf),
        int(lengths.sum()),
        starts,
        np.concatenate([cut.columns for cut in cuts]).astype(np.int32),
        np.concatenate([cut.coefficients for cut in cuts]).astype(np.float64),
    )


def _solve(master: highspy.Highs) -> npt.NDArray[np.bool_]:
    master.run()
    if master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SuppressionError(
            "no suppression pattern can protect every small cell: cells that earlier "
            "releases published pin them down"
        )
    return np.asarray(master.getSolution().col_value) > 0.5


def _equation_cuts(problem: ReleaseProblem) -> list[Cut]:
    """The set-cover cuts: a protected value must be able to move inside every equation.

    For a small cell, each equation through it and each direction give one cut over the
    equation's other cells: one that moves the same way with the opposite sign is free to
    grow (it can cover all that is needed), one that must shrink can give up at most its
    count. A group rule needs one of its cells hidden. In the order of the protections, then
    of each cell's equations, up before down (the integer program sees the same rows in the
    same order every time); computed for every small cell at once (a loop per equation cost
    a quarter of the model's construction on the 10-table release).
    """
    position = {key: number for number, key in enumerate(problem.keys)}
    matrix = problem.equations
    by_column = sparse.csc_array(matrix)
    small = [n for n, p in enumerate(problem.protections) if p.reason == "small cell"]
    protections = problem.protections
    cell = np.array([position[protections[n].cells[0]] for n in small], dtype=np.int64)
    up = np.array([protections[n].upper for n in small], dtype=np.float64)
    down = np.array([protections[n].lower for n in small], dtype=np.float64)
    # One pair per (small cell, equation through it), in the order of the cells' columns.
    per_cell = (by_column.indptr[cell + 1] - by_column.indptr[cell]).astype(np.int64)
    pair_owner = np.repeat(np.arange(len(small)), per_cell)
    pair_row = by_column.indices[spans(by_column.indptr[cell], by_column.indptr[cell + 1])]
    starts, ends = matrix.indptr[pair_row], matrix.indptr[pair_row + 1]
    entries = spans(starts, ends)
    entry_pair = np.repeat(np.arange(len(pair_row)), ends - starts)
    members, signs = matrix.indices[entries].astype(np.int64), matrix.data[entries]
    mine = members == cell[pair_owner[entry_pair]]
    own = np.zeros(len(pair_row))
    own[entry_pair[mine]] = signs[mine]
    others = ~mine
    members, signs, entry_pair = members[others], signs[others], entry_pair[others]
    # For each direction: the cuts' cells and coefficients end to end, and where each starts.
    pieces: dict[
        float, tuple[npt.NDArray[np.int32], npt.NDArray[np.float64], npt.NDArray[np.int64]]
    ] = {}
    for direction, needs in ((1.0, up), (-1.0, down)):
        needed = needs[pair_owner[entry_pair]]
        grows = signs * own[entry_pair] * direction < 0
        capacity = np.where(grows, needed, np.minimum(problem.counts[members], needed))
        keep = capacity > 0
        bounds = np.concatenate(
            [[0], np.cumsum(np.bincount(entry_pair[keep], minlength=len(pair_row)))]
        )
        pieces[direction] = (members[keep].astype(np.int32), capacity[keep], bounds)
    first_pair = np.concatenate([[0], np.cumsum(per_cell)])
    number_of = {index: number for number, index in enumerate(small)}
    cuts = []
    for index, protection in enumerate(protections):
        if protection.reason != "small cell":
            cells = [position[key] for key in protection.cells]
            cuts.append(Cut(np.array(cells, dtype=np.int32), np.ones(len(cells)), 1.0))
            continue
        number = number_of[index]
        for pair in range(first_pair[number], first_pair[number + 1]):
            for direction, needs in ((1.0, up), (-1.0, down)):
                columns, capacity, bounds = pieces[direction]
                span = slice(bounds[pair], bounds[pair + 1])
                cuts.append(Cut(columns[span], capacity[span], float(needs[number])))
    return cuts
