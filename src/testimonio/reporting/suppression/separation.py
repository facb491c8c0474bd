"""Which requirements a pattern fails, and the cut each failure gives (the solver's side).

For a pattern, a requirement "the reader's maximum of ``z_c`` reaches ``p``" (``z`` is how far
a reader may move each hidden cell from its count, with every equation kept) holds exactly
when its deviation program reaches ``p``. Solving two programs per small cell is what made
the cut loop slow (thousands of programs per round), so most are settled otherwise:

1. **Witnesses.** Every deviation found in an earlier round is kept (sparse); it is still a
   table a reader could believe under any pattern that hides every cell it moves, and the
   patterns of successive rounds differ in few cells.
2. **Batches.** One program per connected group of hidden cells maximises the sum of the
   still-open requirements' deviations, each capped at what it needs (``z_c <= p``). Capping
   only shrinks the set of tables a reader could believe, so its optimum is one such table,
   and every requirement it reaches holds. The rest go to the next batch, until a batch
   settles less than 1% of what is open or fewer than 25 are open.
3. **Nearby.** A requirement still open is first tried over the hidden cells within two
   equations of its cell, keeping only the equations wholly among them (a relaxation): when
   even that falls short, the requirement fails and that small program's duals give a valid
   cut.
4. **The exact program** decides the rest and, when it falls short, gives its dual (Benders)
   cut; its optimum is kept as a witness too. Group rules (sums of empty cells) are settled
   by any witness still valid first, the exact program only for the rest.

The witnesses still valid under the final pattern go to the audit with it, which checks
each one itself before it counts (:mod:`.audit`).
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph

from testimonio.reporting.suppression.audit import Deviation
from testimonio.reporting.suppression.highs import equality_program, feasible_start
from testimonio.reporting.suppression.problem import ReleaseProblem, SuppressionError

__all__ = ["Cut", "Shown", "Witnesses", "separate", "spans"]

#: A requirement counts as met within this margin (HiGHS's own feasibility tolerance is 1e-7).
TOLERANCE = 1e-6
#: Reduced costs closer to zero than this are zero (they only decide a cut's coefficients).
DUAL_ZERO = 1e-9
#: Stop batching when a batch shows fewer than this share of the open requirements.
BATCH_YIELD = 0.01
#: No batch for fewer open requirements than this: a batch costs about as much as six exact
#: programs (its bounds change, so it cannot start from the last basis), and in the last
#: rounds what is open is mostly what fails, which the near-by programs prove cheaply.
MIN_BATCH = 25

_UNBOUNDED = (
    highspy.HighsModelStatus.kUnbounded,
    highspy.HighsModelStatus.kUnboundedOrInfeasible,
)


@dataclass(frozen=True)
class Cut:
    """``sum(coefficients * x[columns]) >= required``: valid for every safe pattern."""

    columns: npt.NDArray[np.int32]
    coefficients: npt.NDArray[np.float64]
    required: float


#: For each direction (1 up, -1 down), which single-cell requirements are known to hold.
Shown = dict[float, npt.NDArray[np.bool_]]


class Witnesses:
    """Deviations found in earlier rounds: tables a reader could believe, kept sparse.

    A deviation only moves cells it is nonzero on; under any later pattern that still hides
    all of them it is still a table a reader could believe, so what it showed still holds.
    Patterns of successive rounds differ in a few cells, so most requirements are settled
    here without a program.
    """

    def __init__(self) -> None:
        self.items: list[Deviation] = []
        #: Which items moved only hidden cells under the last pattern checked, and it.
        self._valid = np.zeros(0, dtype=bool)
        self._pattern: npt.NDArray[np.bool_] | None = None
        #: For each item, the single-cell requirements it shows upwards and downwards.
        self._hits: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []

    def add(self, deviation: npt.NDArray[np.float64]) -> None:
        support = np.flatnonzero(np.abs(deviation) > DUAL_ZERO)
        if len(support):
            self.items.append((support, deviation[support]))

    def _validity(self, suppressed: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """Which items move only cells ``suppressed`` hides. When the pattern only grew since
        the last call, an item valid then is valid now: only the others are looked at."""
        grown = self._pattern is not None and not np.any(self._pattern & ~suppressed)
        valid = np.zeros(len(self.items), dtype=bool)
        if grown:
            valid[: len(self._valid)] = self._valid
        for number in np.flatnonzero(~valid):
            valid[number] = bool(suppressed[self.items[number][0]].all())
        self._valid, self._pattern = valid, suppressed.copy()
        return valid

    def show(
        self,
        suppressed: npt.NDArray[np.bool_],
        requirement: npt.NDArray[np.int64],
        needed: dict[float, npt.NDArray[np.float64]],
        shown: Shown,
    ) -> None:
        """Mark what the witnesses still valid under ``suppressed`` show (``requirement[cell]``
        numbers each cell's single-cell requirement, -1 for none)."""
        valid = self._validity(suppressed)
        # What each witness shows, found once: the requirements and their needs never change,
        # so only the list of witnesses still valid is new each round.
        for support, values in self.items[len(self._hits) :]:
            mine = requirement[support] >= 0
            numbers, moved = requirement[support[mine]], values[mine]
            self._hits.append(
                (
                    numbers[moved >= needed[1.0][numbers] - TOLERANCE],
                    numbers[-moved >= needed[-1.0][numbers] - TOLERANCE],
                )
            )
        chosen = [self._hits[n] for n in np.flatnonzero(valid)]
        if not chosen:
            return
        shown[1.0][np.concatenate([up for up, _ in chosen])] = True
        shown[-1.0][np.concatenate([down for _, down in chosen])] = True

    def matrix(
        self, suppressed: npt.NDArray[np.bool_], cells: npt.NDArray[np.int64]
    ) -> sparse.csr_array:
        """The witnesses valid under ``suppressed``, restricted to ``cells`` (zero elsewhere),
        as the columns of a (cells x tables) matrix."""
        size = len(suppressed)
        wanted = np.zeros(size, dtype=bool)
        wanted[cells] = True
        chosen = [self.items[n] for n in np.flatnonzero(self._validity(suppressed))]
        parts = [(support[wanted[support]], values[wanted[support]]) for support, values in chosen]
        if not parts:
            return sparse.csr_array((size, 0))
        lengths = np.array([len(support) for support, _ in parts])
        matrix = sparse.csc_array(
            (
                np.concatenate([values for _, values in parts]),
                np.concatenate([support for support, _ in parts]),
                np.concatenate([[0], np.cumsum(lengths)]),
            ),
            shape=(size, len(parts)),
        )
        return sparse.csr_array(matrix)

    def valid(self, suppressed: npt.NDArray[np.bool_]) -> list[Deviation]:
        """The witnesses that move only cells ``suppressed`` hides (offered to the audit)."""
        return [self.items[n] for n in np.flatnonzero(self._validity(suppressed))]


def separate(
    problem: ReleaseProblem, suppressed: npt.NDArray[np.bool_], witnesses: Witnesses
) -> list[Cut]:
    """A cut for every requirement the pattern fails (none when it protects all).

    ``witnesses`` (from earlier rounds) settle what they can first; the new ones are added.
    """
    separator = _Separator(problem, suppressed)
    position = {key: number for number, key in enumerate(problem.keys)}
    single = [p for p in problem.protections if len(p.cells) == 1]
    cells = np.array([position[p.cells[0]] for p in single], dtype=np.int64)
    requirement = np.full(len(problem.keys), -1, dtype=np.int64)
    requirement[cells] = np.arange(len(cells))
    needed = {1.0: np.array([p.upper for p in single]), -1.0: np.array([p.lower for p in single])}
    shown = {direction: needed[direction] <= 0 for direction in needed}
    witnesses.show(suppressed, requirement, needed, shown)
    found = separator.batches(cells, needed, shown)
    for deviation in found:
        witnesses.add(deviation)
    cuts = []
    for number in range(len(single)):
        for direction in (1.0, -1.0):
            if shown[direction][number]:
                continue
            required = float(needed[direction][number])
            cut = separator.local_failure(int(cells[number]), direction, required)
            if cut is not None:
                cuts.append(cut)
                continue
            cut = separator.cut(cells[[number]], direction, required)
            if cut is not None:
                cuts.append(cut)
            witnesses.add(separator.deviation)
            for seen, deviation in ((1.0, separator.deviation), (-1.0, -separator.deviation)):
                shown[seen] |= deviation[cells] >= needed[seen] - TOLERANCE
    # Group rules (sums of cells): settled by any witness still valid, else the exact program.
    grouped = [p for p in problem.protections if len(p.cells) > 1]
    summed = np.array(sorted({position[key] for p in grouped for key in p.cells}), dtype=np.int64)
    kept = witnesses.matrix(suppressed, summed)
    fresh: list[npt.NDArray[np.float64]] = []
    for protection in problem.protections:
        if len(protection.cells) > 1:
            target = np.array([position[key] for key in protection.cells])
            needed_sum = protection.upper - TOLERANCE
            if kept.shape[1] and kept[target].sum(axis=0).max() >= needed_sum:
                continue
            if any(w[target].sum() >= needed_sum for w in fresh):
                continue
            cut = separator.cut(target, 1.0, float(protection.upper))
            if cut is not None:
                cuts.append(cut)
            witnesses.add(separator.deviation)
            fresh.append(separator.deviation.copy())
    return cuts


class _Separator:
    """The deviation programs of one pattern, one per connected group of hidden cells.

    Groups are linked by no equation, so a requirement on cells of several groups is the sum
    of each group's program. Each group's program is built once and re-solved from its last
    basis with a new objective.
    """

    def __init__(self, problem: ReleaseProblem, suppressed: npt.NDArray[np.bool_]) -> None:
        self.problem = problem
        self.suppressed = suppressed
        self.rows_of = sparse.csc_array(problem.equations)
        self.by_row = sparse.csr_array(problem.equations)
        #: The equations' transpose, one row per cell (for the reduced costs of a cut).
        self.by_column_t = sparse.csr_array(self.by_row.T)
        hidden = np.flatnonzero(suppressed)
        among = abs(self.rows_of[:, hidden])
        self.hidden = hidden
        self.adjacency = adjacency = sparse.csr_array(among.T @ among)
        #: How many hidden cells each equation has.
        self.hidden_in_row = abs(self.by_row) @ suppressed.astype(np.float64)
        self.hidden_position = np.full(len(suppressed), -1, dtype=np.int64)
        self.hidden_position[hidden] = np.arange(len(hidden))
        _, labels = csgraph.connected_components(adjacency, directed=False)
        self.groups = np.full(len(suppressed), -1, dtype=np.int64)
        self.groups[hidden] = labels
        order = np.argsort(labels, kind="stable")
        bounds = np.searchsorted(labels[order], np.arange(labels.max(initial=-1) + 2))
        self.members = {
            label: hidden[order[bounds[label] : bounds[label + 1]]]
            for label in range(len(bounds) - 1)
        }
        self.solvers: dict[int, tuple[highspy.Highs, npt.NDArray[np.int_]]] = {}
        #: One solver for the near-by programs, its model replaced each time.
        self.nearby: highspy.Highs | None = None
        #: The optimal deviation of the last program solved (zero elsewhere and when unbounded).
        self.deviation = np.zeros(len(suppressed))

    def batches(
        self,
        cells: npt.NDArray[np.int64],
        needed: dict[float, npt.NDArray[np.float64]],
        shown: Shown,
    ) -> list[npt.NDArray[np.float64]]:
        """Settle open requirements many at a time (``shown`` is updated); the tables found."""
        witnesses: list[npt.NDArray[np.float64]] = []
        first = 1.0
        while True:
            open_up = ~shown[1.0] & (self.hidden_position[cells] >= 0)
            open_down = ~shown[-1.0] & (self.hidden_position[cells] >= 0)
            waiting = int(open_up.sum() + open_down.sum())
            if waiting < MIN_BATCH:
                return witnesses
            # Each cell takes one direction per batch; the preferred one alternates.
            if first > 0:
                up, down = open_up, open_down & ~open_up
            else:
                down, up = open_down, open_up & ~open_down
            deviation = np.zeros(len(self.suppressed))
            for label in np.unique(self.groups[cells[up | down]]):
                self._batch(int(label), cells, needed, up, down, deviation)
            witnesses.append(deviation)
            before = int(shown[1.0].sum() + shown[-1.0].sum())
            shown[1.0] |= deviation[cells] >= needed[1.0] - TOLERANCE
            shown[-1.0] |= -deviation[cells] >= needed[-1.0] - TOLERANCE
            gained = int(shown[1.0].sum() + shown[-1.0].sum()) - before
            if gained < max(1.0, BATCH_YIELD * waiting):
                return witnesses
            first = -first

    def _batch(
        self,
        label: int,
        cells: npt.NDArray[np.int64],
        needed: dict[float, npt.NDArray[np.float64]],
        up: npt.NDArray[np.bool_],
        down: npt.NDArray[np.bool_],
        deviation: npt.NDArray[np.float64],
    ) -> None:
        """One group's capped program: maximise the open deviations, each up to its need."""
        solver, _ = self._solver(label)
        members = self.members[label]
        size = len(members)
        cost = np.zeros(size)
        lower = -self.problem.counts[members]
        upper = np.full(size, highspy.kHighsInf)
        mine = self.groups[cells] == label
        # ``members`` is sorted and each cell has one requirement, taking one direction here.
        numbers = np.flatnonzero(up & mine)
        columns = np.searchsorted(members, cells[numbers])
        cost[columns] = -1.0
        upper[columns] = needed[1.0][numbers]
        numbers = np.flatnonzero(down & mine)
        columns = np.searchsorted(members, cells[numbers])
        cost[columns] = 1.0
        lower[columns] = np.maximum(lower[columns], -needed[-1.0][numbers])
        every = np.arange(size, dtype=np.int32)
        solver.changeColsCost(size, every, cost)
        solver.changeColsBounds(size, every, lower, upper)
        solver.run()
        status = solver.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise SuppressionError(f"the protection check could not be solved ({status})")
        deviation[members] = solver.getSolution().col_value
        solver.changeColsBounds(
            size, every, -self.problem.counts[members], np.full(size, highspy.kHighsInf)
        )

    def local_failure(self, cell: int, direction: float, needed: float) -> Cut | None:
        """A cut proven from the hidden cells within two equations of ``cell``, if any.

        Only the equations all of whose hidden cells are among them are kept: dropping
        equations lets a reader believe more, so when even this program falls short, the
        full one does too, and its duals (the dropped equations' taken as zero) give a valid
        cut that the current pattern breaks. Otherwise (``None``) the full program decides.
        """
        start = self.hidden_position[cell]
        if start < 0:
            return None
        near = np.array([start])
        for _ in range(2):
            found = _gather(self.adjacency.indptr, self.adjacency.indices, near)
            near = np.union1d(near, found)
        members = self.hidden[near]
        local = np.full(len(self.suppressed), -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        rows = np.unique(_gather(self.rows_of.indptr, self.rows_of.indices, members))
        # The equations whose every hidden cell is near: the others are dropped.
        starts, ends = self.by_row.indptr[rows], self.by_row.indptr[rows + 1]
        entries = spans(starts, ends)
        columns = local[self.by_row.indices[entries]]
        inside = columns >= 0
        owner = np.repeat(np.arange(len(rows)), ends - starts)
        counted = np.bincount(owner, weights=inside, minlength=len(rows))
        whole = counted >= self.hidden_in_row[rows] - 0.5
        keep = inside & whole[owner]
        rows = rows[whole]
        indptr = np.concatenate([[0], np.cumsum(counted[whole])]).astype(np.int64)
        block = sparse.csr_array(
            (self.by_row.data[entries[keep]], columns[keep], indptr),
            shape=(len(rows), len(members)),
        )
        solver = self.nearby = equality_program(
            block, -self.problem.counts[members], np.zeros(len(rows)), self.nearby
        )
        feasible_start(solver)
        cost = -direction * (members == cell).astype(np.float64)
        solver.changeColsCost(len(members), np.arange(len(members), dtype=np.int32), cost)
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        if -solver.getInfo().objective_function_value >= needed - TOLERANCE:
            return None
        duals = np.asarray(solver.getSolution().row_dual)
        return self._dual_cut(np.array([cell]), direction, needed, [rows], [duals])

    def cut(self, target: npt.NDArray[np.int_], direction: float, needed: float) -> Cut | None:
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
        return self._dual_cut(target, direction, needed, rows, duals)

    def _dual_cut(
        self,
        target: npt.NDArray[np.int_],
        direction: float,
        needed: float,
        rows: list[npt.NDArray[np.int_]],
        duals: list[npt.NDArray[np.float64]],
    ) -> Cut:
        """Weak duality: for any row duals, the deviation cannot beat the cells' reduced costs."""
        # Reduced costs of every cell (published ones included) under the row duals.
        reduced = np.zeros(len(self.problem.keys))
        reduced[target] = -direction
        if rows:
            every = np.zeros(self.by_row.shape[0])
            every[np.concatenate(rows)] = np.concatenate(duals)
            reduced -= self.by_column_t @ every
        coefficients = self.problem.counts * np.maximum(reduced, 0.0)
        coefficients += np.where(reduced < -DUAL_ZERO, needed, 0.0)
        coefficients = np.minimum(coefficients, needed)
        keep = coefficients > DUAL_ZERO
        return Cut(np.flatnonzero(keep).astype(np.int32), coefficients[keep], needed)

    def _solve(
        self, label: int, target: npt.NDArray[np.int_], direction: float
    ) -> tuple[float | None, npt.NDArray[np.int_], npt.NDArray[np.float64]]:
        solver, rows = self._solver(label)
        members = self.members[label]
        cost = -direction * np.isin(members, target).astype(np.float64)
        solver.changeColsCost(len(members), np.arange(len(members), dtype=np.int32), cost)
        solver.run()
        status = solver.getModelStatus()
        if status in _UNBOUNDED:
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
            solver = equality_program(block, -self.problem.counts[members], np.zeros(len(rows)))
            feasible_start(solver)
            self.solvers[label] = (solver, rows)
        return self.solvers[label]


def spans(starts: npt.NDArray[np.int_], ends: npt.NDArray[np.int_]) -> npt.NDArray[np.int64]:
    """Every index of the ranges ``starts[i]:ends[i]``, one after the other."""
    lengths = (ends - starts).astype(np.int64)
    if not lengths.sum():
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return (offsets + np.arange(lengths.sum())).astype(np.int64)


def _gather(
    indptr: npt.NDArray[np.int_], indices: npt.NDArray[np.int_], items: npt.NDArray[np.int_]
) -> npt.NDArray[np.int64]:
    """The stored indices of rows (CSR) or columns (CSC) ``items`` of a sparse matrix."""
    return indices[spans(indptr[items], indptr[items + 1])].astype(np.int64)
