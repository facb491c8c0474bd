"""Does a log-linear model have a finite, identifiable estimate on these data? (SparseMSE checks)

With sparse lists some models have no maximum-likelihood estimate: an interaction heads to
-infinity and the estimated total with it (Fienberg and Rinaldo 2012). SparseMSE's ``checkident``
decides this before a model is accepted, with two tests copied here:

* existence: a linear program maximises the smallest cell of a table with the model's sufficient
  statistics; if that smallest cell must be 0, the (extended) estimate does not exist;
* identifiability: the design matrix must have full column rank.

Both depend only on which cells are non-zero and on the model, so results are cached: the
bootstrap asks the same question thousands of times.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from enum import IntFlag

import numpy as np
from scipy import optimize

from testimonio.estimation.capture_histories import CaptureHistories, all_patterns
from testimonio.estimation.loglinear import Term, build_design

__all__ = ["ModelCheck", "check_model"]

#: A smallest cell below this is "zero" for the linear program (lpSolve compares with 0).
ZERO = 1e-9


class ModelCheck(IntFlag):
    """SparseMSE's error code: 0 sound, 1 estimate not finite, 2 not identifiable, 3 both."""

    SOUND = 0
    NOT_FINITE = 1
    NOT_IDENTIFIABLE = 2


def check_model(histories: CaptureHistories, pairs: Sequence[Term]) -> ModelCheck:
    """SparseMSE's ``checkident`` for main effects plus the given two-list interactions."""
    _, counts = histories.full_table()
    support = tuple(bool(count) for count in counts)
    return _check_support(histories.n_lists, support, tuple(sorted(map(tuple, pairs))))


@functools.lru_cache(maxsize=65536)
def _check_support(n_lists: int, support: tuple[bool, ...], pairs: tuple[Term, ...]) -> ModelCheck:
    patterns = all_patterns(n_lists)
    present = np.array(support, dtype=float)
    empty = [pair for pair in pairs if not np.any(present * np.prod(patterns[:, pair], axis=1))]
    keep = np.ones(len(patterns), dtype=bool)
    for first, second in empty:
        keep &= (patterns[:, first] * patterns[:, second]) == 0
    kept_pairs = [pair for pair in pairs if pair not in empty]
    design = build_design(patterns[keep], kept_pairs)
    result = ModelCheck.SOUND
    if _smallest_cell(design, present[keep]) <= ZERO:
        result |= ModelCheck.NOT_FINITE
    if np.linalg.matrix_rank(design) < design.shape[1]:
        result |= ModelCheck.NOT_IDENTIFIABLE
    return result


def _smallest_cell(design: np.ndarray, present: np.ndarray) -> float:
    """Largest possible smallest cell of a table with the data's sufficient statistics.

    Only the support matters (Fienberg and Rinaldo), so the sufficient statistics of the 0/1
    support table are used; this keeps the cache independent of the counts. Writing each cell
    as ``t + s_i`` (``s_i >= 0``) leaves only the equality constraints: lpSolve's program with
    one row per parameter instead of one per cell, and the same optimum.
    """
    constraints = design.T
    statistics = constraints @ present
    equality = np.hstack([constraints.sum(axis=1, keepdims=True), constraints])
    objective = np.zeros(equality.shape[1])
    objective[0] = -1.0  # maximise the smallest cell t
    solution = optimize.linprog(
        objective, A_eq=equality, b_eq=statistics, bounds=(0, None), method="highs"
    )
    return float(solution.x[0]) if solution.status == 0 else 0.0
