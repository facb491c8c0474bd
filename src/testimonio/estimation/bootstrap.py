"""Bootstrap intervals that carry model-selection uncertainty (Chan, Silverman and Vincent 2021).

A profile interval treats the chosen model as if it had been known in advance. Here the whole
procedure, model selection included, is re-run on each multinomial resample of the observed
people, and the interval is the bias-corrected and accelerated (BCa) percentile interval, the
acceleration coming from a delete-one jackknife over the observed capture patterns (SparseMSE's
``estimatepopulation``). Seeded, so a court exhibit can be regenerated to the same numbers.

The limits are Monte Carlo quantities: with 1,000 replicates SparseMSE's own New Orleans 5-list
upper limit moves from about 1,500 to 1,700 between seeds, so a published limit can only be
reproduced exactly from the same resamples. ``resamples`` replays another program's resamples
(R's ``rmultinom`` stream, say) through our selection and fit; the reference tests do that.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from testimonio.estimation.capture_histories import CaptureHistories

__all__ = ["BootstrapInterval", "bca_limits", "bootstrap_interval"]

Estimator = Callable[[CaptureHistories], float]


@dataclass(frozen=True)
class BootstrapInterval:
    """A point estimate with its BCa and percentile bootstrap limits."""

    estimate: float
    lower: float
    upper: float
    percentile_lower: float
    percentile_upper: float
    level: float
    acceleration: float
    replicates: np.ndarray
    failed: int


def bootstrap_interval(
    histories: CaptureHistories,
    estimator: Estimator,
    *,
    replicates: int = 1000,
    level: float = 0.95,
    seed: int = 1234,
    progress: Callable[[int], None] | None = None,
    resamples: np.ndarray | None = None,
) -> BootstrapInterval:
    """Re-run ``estimator`` (selection and fit) on resamples; BCa interval at ``level``.

    Each resample draws ``observed`` people with replacement from the observed people
    (multinomial over the observed patterns, as SparseMSE's ``rmultinom``). ``resamples``, an
    array of shape ``(replicates, patterns)`` of counts in the order of ``histories.patterns``,
    replaces the draws (then ``replicates`` and ``seed`` are not used).
    """
    estimate = estimator(histories)
    if resamples is None:
        rng = np.random.default_rng(seed)
        probabilities = histories.counts / histories.observed
        resamples = rng.multinomial(histories.observed, probabilities, size=replicates)
    else:
        resamples = _checked_resamples(histories, resamples)
        replicates = len(resamples)
    draws = np.empty(replicates)
    for index, counts in enumerate(resamples):
        draws[index] = _safe(estimator, histories.with_counts(counts))
        if progress is not None:
            progress(1)
    finite = draws[np.isfinite(draws)]
    acceleration = jackknife_acceleration(histories, estimator)
    tail = (1 - level) / 2
    lower, upper = bca_limits(finite, estimate, acceleration, (tail, 1 - tail))
    return BootstrapInterval(
        estimate=estimate,
        lower=lower,
        upper=upper,
        percentile_lower=float(np.quantile(finite, tail, method="median_unbiased")),
        percentile_upper=float(np.quantile(finite, 1 - tail, method="median_unbiased")),
        level=level,
        acceleration=acceleration,
        replicates=draws,
        failed=int(replicates - finite.size),
    )


def _checked_resamples(histories: CaptureHistories, resamples: np.ndarray) -> np.ndarray:
    counts = np.asarray(resamples)
    if counts.ndim != 2 or counts.shape[1] != len(histories.counts):
        raise ValueError("resamples must have one column per observed capture pattern")
    if np.any(counts < 0) or np.any(counts.sum(axis=1) != histories.observed):
        raise ValueError("each resample must hold as many people as were observed")
    return counts.astype(np.int64)


def _safe(estimator: Estimator, histories: CaptureHistories) -> float:
    """A replicate whose fit breaks down counts as failed (NaN), not as an error."""
    try:
        value = float(estimator(histories))
    except (ArithmeticError, ValueError, np.linalg.LinAlgError):
        return math.nan
    return value if math.isfinite(value) else math.nan


def jackknife_acceleration(histories: CaptureHistories, estimator: Estimator) -> float:
    """SparseMSE's acceleration: delete one person of each observed pattern in turn."""
    counts = histories.counts
    estimates = np.empty(len(counts))
    for index in range(len(counts)):
        reduced = counts.copy()
        reduced[index] -= 1
        estimates[index] = _safe(estimator, histories.with_counts(reduced))
    weights = counts / counts.sum()
    residuals = float(np.nansum(weights * estimates)) - estimates
    spread = float(np.nansum(counts * residuals**2))
    if spread == 0:
        return 0.0
    return float(np.nansum(counts * residuals**3) / (6 * spread**1.5))


def bca_limits(
    draws: np.ndarray, estimate: float, acceleration: float, probabilities: tuple[float, ...]
) -> tuple[float, ...]:
    """BCa quantiles of ``draws`` (R quantile type 8, as SparseMSE's ``bcaconfvalues``)."""
    bias = stats.norm.ppf(np.mean(draws < estimate))
    normal = stats.norm.ppf(np.asarray(probabilities))
    shifted = normal + bias
    adjusted = stats.norm.cdf(bias + shifted / (1 - acceleration * shifted))
    return tuple(float(value) for value in np.quantile(draws, adjusted, method="median_unbiased"))
