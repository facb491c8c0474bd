"""Confidence intervals for a log-linear estimate of the total.

Two kinds, each copied from the implementation whose published figures we reproduce:

* :func:`profile_interval`: Rcapture's multinomial profile-likelihood interval (Cormack 1992). For
  each candidate total N the all-zero cell is set to N - n and the model refitted; the interval is
  every N whose profile log-likelihood is within chi2(1)/2 of the maximum. Its maximiser is
  Rcapture's "multinomial abundance". An upper limit that cannot be found below 3 N-hat is
  reported as unbounded (``None``), never as a number.
* :func:`log_normal_interval`: SparseMSE's interval, normal on the log of the undocumented count.

Neither carries model-selection uncertainty; the bootstrap does (see ``bootstrap``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from testimonio.estimation.loglinear import LoglinearFit, poisson_glm

__all__ = ["ProfileInterval", "log_normal_interval", "profile_interval"]

#: Rcapture's ``fmaxSupCL``: the upper limit is searched up to this multiple of N-hat.
SEARCH_FACTOR = 3.0
#: Rcapture's tolerance for ``optimize`` and ``uniroot``.
TOLERANCE = 1e-4


@dataclass(frozen=True)
class ProfileInterval:
    """Multinomial abundance and its profile-likelihood limits (``upper`` None if unbounded)."""

    estimate: float
    lower: float
    upper: float | None
    level: float


def profile_interval(fit: LoglinearFit, level: float = 0.95) -> ProfileInterval:
    """Rcapture's profile-likelihood interval for the total, for a fitted model."""
    observed = fit.observed
    poisson_estimate = fit.estimate
    log_likelihood = _profile_log_likelihood(fit)
    best = optimize.minimize_scalar(
        lambda total: -log_likelihood(total),
        bounds=(observed, SEARCH_FACTOR * poisson_estimate),
        method="bounded",
        options={"xatol": TOLERANCE},
    )
    maximum, peak = float(best.x), -float(best.fun)
    cutoff = peak - stats.chi2.ppf(level, 1) / 2

    def excess(total: float) -> float:
        return log_likelihood(total) - cutoff

    lower = _root(excess, observed, maximum)
    upper = _root(excess, maximum, SEARCH_FACTOR * poisson_estimate)
    return ProfileInterval(maximum, observed if lower is None else lower, upper, level)


def _root(function: Callable[[float], float], start: float, stop: float) -> float | None:
    """A root in [start, stop], or None when the function does not change sign (as uniroot)."""
    low, high = function(start), function(stop)
    if not (np.isfinite(low) and np.isfinite(high)) or low * high > 0:
        return None
    return float(optimize.brentq(function, start, stop, xtol=TOLERANCE))


def _profile_log_likelihood(fit: LoglinearFit) -> Callable[[float], float]:
    design = np.vstack([fit.design, np.zeros(fit.design.shape[1])])
    design[-1, 0] = 1.0
    cells = np.append(fit.cell_counts.astype(float), 0.0)
    observed = float(fit.cell_counts.sum())

    def log_likelihood(total: float) -> float:
        cells[-1] = total - observed
        deviance = poisson_glm(cells, design).deviance
        return -(deviance - 2 * _cormack_correction(cells[-1], float(cells.sum()))) / 2

    return log_likelihood


def _cormack_correction(undocumented: float, total: float) -> float:
    """Cormack's (1992) term turning the Poisson deviance into a multinomial likelihood."""
    if total > 100:
        if undocumented in (0.0, 1.0):
            return -total + 0.5 * math.log(2 * math.pi * total)
        return undocumented - total - 0.5 * math.log(undocumented / total)
    return float(
        special.xlogy(undocumented, undocumented)
        + special.gammaln(total + 1)
        - total * math.log(total)
        - special.gammaln(undocumented + 1)
    )


def log_normal_interval(fit: LoglinearFit, level: float = 0.95) -> tuple[float, float | None]:
    """SparseMSE's interval: normal on the intercept, i.e. log-normal undocumented count.

    An upper limit too large for a float (a model heading to an unbounded estimate on a tiny
    stratum) is reported as no upper limit, not as an overflow.
    """
    z = stats.norm.ppf(0.5 + level / 2)
    spread = math.sqrt(float(fit.covariance[0, 0]))
    intercept = float(fit.coefficients[0])
    lower = fit.observed + math.exp(min(intercept - z * spread, 700.0))
    top = intercept + z * spread
    return lower, (fit.observed + math.exp(top) if math.isfinite(top) and top < 700 else None)
