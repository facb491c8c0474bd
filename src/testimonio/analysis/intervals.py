"""Intervals for shares and for comparisons of two shares, by one stated rule.

A share's 95% interval is Wilson's score interval, except where counts are small: when fewer
than :data:`SMALL_COUNT` people are counted, or fewer than that are not, the exact
Clopper-Pearson interval is used (Wilson's coverage dips below nominal there; the exact one
never does, at the price of width). Comparisons of two groups give the risk ratio (Koopman's
score interval) and the risk difference (Newcombe's hybrid score interval), with the p-value of
the score test, from statsmodels. All functions take arrays and return arrays.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    test_proportions_2indep,
)

LEVEL = 0.95
SMALL_COUNT = 5


def interval_methods(count: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """'clopper-pearson' where counts are small (see module docstring), else 'wilson'."""
    small = (count < SMALL_COUNT) | (denominator - count < SMALL_COUNT)
    return np.where(small, "clopper-pearson", "wilson")


def share_intervals(
    count: np.ndarray, denominator: np.ndarray, level: float = LEVEL
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(share, lower, upper, method) per row; NaN where the denominator is zero."""
    count = np.asarray(count, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    empty = denominator <= 0
    safe = np.where(empty, 1.0, denominator)
    share = np.where(empty, np.nan, count / safe)
    alpha = 1.0 - level
    wilson = proportion_confint(count, safe, alpha=alpha, method="wilson")
    exact = proportion_confint(count, safe, alpha=alpha, method="beta")
    method = interval_methods(count, denominator)
    small = method == "clopper-pearson"
    lower = np.where(small, exact[0], wilson[0])
    upper = np.where(small, exact[1], wilson[1])
    # Clopper-Pearson gives NaN bounds at 0 and n; they are 0 and 1 by definition.
    lower = np.where(count == 0, 0.0, lower)
    upper = np.where(count == denominator, 1.0, upper)
    lower, upper = np.where(empty, np.nan, lower), np.where(empty, np.nan, upper)
    return share, lower, upper, method


@dataclass(frozen=True)
class Comparison:
    """One group against a reference: risk ratio and difference with intervals and p-value."""

    risk_ratio: float
    ratio_lower: float
    ratio_upper: float
    difference: float
    difference_lower: float
    difference_upper: float
    p_value: float


def compare_shares(
    count: int, denominator: int, reference_count: int, reference_denominator: int,
    level: float = LEVEL,
) -> Comparison:  # fmt: skip
    """Risk ratio and difference of group vs reference (both denominators must be positive).

    The ratio's interval is the log interval with 0.5 added to every cell when a count is 0
    or equals its denominator ("log-adjusted"), so it exists at the edges too.
    """
    alpha = 1.0 - level
    args = (count, denominator, reference_count, reference_denominator)
    share, reference = count / denominator, reference_count / reference_denominator
    with warnings.catch_warnings():
        # statsmodels divides by zero computing an odds ratio it does not use at the edges
        warnings.simplefilter("ignore", RuntimeWarning)
        ratio_low, ratio_high = confint_proportions_2indep(
            *args, method="log-adjusted", compare="ratio", alpha=alpha
        )
        diff_low, diff_high = confint_proportions_2indep(
            *args, method="newcomb", compare="diff", alpha=alpha
        )
        no_variation = share == reference and share in (0.0, 1.0)
        p_value = 1.0 if no_variation else float(
            test_proportions_2indep(*args, method="score", compare="diff").pvalue
        )  # fmt: skip
    ratio = share / reference if reference > 0 else float("inf")
    return Comparison(
        float(ratio), float(ratio_low), float(ratio_high), share - reference,
        float(diff_low), float(diff_high), p_value,
    )  # fmt: skip


__all__ = [
    "Comparison",
    "LEVEL",
    "SMALL_COUNT",
    "compare_shares",
    "interval_methods",
    "share_intervals",
]
