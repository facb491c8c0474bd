"""The total over strata: the sum of separate estimates for places or periods.

When capture chances differ by place or period (an organisation that works in one state, a list
that starts in 2018), one model for everyone mixes groups whose lists behave differently and the
estimate can be biased either way. Estimating each stratum separately and adding the estimates
is the usual remedy (HRDAG practice; Manrique-Vallier, Ball and Sadinle). Strata are disjoint
groups of people documented independently, so their estimates are independent and their
uncertainties add.

The interval of the sum is an approximation, stated in every result: each stratum's interval is
read as a log-normal spread of its undocumented count (its width on the log scale), the spreads
are added as variances and the sum is again taken as log-normal (Fenton and Wilkinson 1960). A
stratum without an upper limit leaves the total without one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from scipy import stats

from testimonio.estimation.results import EstimateResult

__all__ = ["combine_strata", "totals_over_strata"]


def combine_strata(results: Mapping[str, EstimateResult]) -> EstimateResult:
    """Sum of the strata's estimates of one method, with an interval for the sum."""
    if not results:
        raise ValueError("no strata to combine")
    parts = list(results.values())
    level = parts[0].level
    if any(part.level != level or part.method != parts[0].method for part in parts):
        raise ValueError("strata must be estimated by one method at one level")
    observed = sum(part.observed for part in parts)
    estimate = sum(part.estimate for part in parts)
    lower, upper = _sum_interval(parts, level)
    warnings = tuple(
        f"stratum {name!r}: {warning}"
        for name, part in results.items()
        for warning in part.warnings
    )
    unsound = [name for name, part in results.items() if not part.sound]
    if upper is None:
        warnings += ("a stratum has no upper limit, so the total has none",)
    return EstimateResult(
        method=parts[0].method,
        observed=observed,
        estimate=estimate,
        lower=lower,
        upper=upper,
        level=level,
        model=f"sum of {len(parts)} strata, each: {parts[0].model.split(':')[0]}",
        interval="sum over strata (log-normal approximation, strata independent)",
        diagnostics={
            "strata": {
                name: {"observed": part.observed, "estimate": part.estimate}
                for name, part in results.items()
            },
            "unsound_strata": unsound,
        },
        warnings=warnings,
        sound=not unsound and upper is not None,
    )


def totals_over_strata(outcomes: Mapping[str, Sequence[EstimateResult]]) -> list[EstimateResult]:
    """For each method run in every stratum, the sum of its estimates over the strata.

    A method can be missing from a stratum (model averaging needs 5 lists or fewer, and a
    stratum may have lost a list): it then has no total. Totals keep the order of the methods
    in the first stratum.
    """
    by_stratum = {
        name: {result.method: result for result in results} for name, results in outcomes.items()
    }
    first = next(iter(outcomes.values()))
    return [
        combine_strata({name: methods[result.method] for name, methods in by_stratum.items()})
        for result in first
        if all(result.method in methods for methods in by_stratum.values())
    ]


def _sum_interval(parts: list[EstimateResult], level: float) -> tuple[float | None, float | None]:
    z = float(stats.norm.ppf(0.5 + level / 2))
    observed = sum(part.observed for part in parts)
    if any(part.upper is None for part in parts):
        lowers = [part.lower for part in parts if part.lower is not None]
        return (sum(lowers) if len(lowers) == len(parts) else None), None
    mean = variance = 0.0
    for part in parts:
        sigma = _log_spread(part, z)
        dark = max(part.estimate - part.observed, 0.0)
        mean += dark * math.exp(sigma**2 / 2)
        variance += dark**2 * math.exp(sigma**2) * math.expm1(sigma**2)
    if mean <= 0:
        return float(observed), float(observed)
    spread = math.sqrt(math.log1p(variance / mean**2))
    centre = math.log(mean) - spread**2 / 2
    return observed + math.exp(centre - z * spread), observed + math.exp(centre + z * spread)


def _log_spread(part: EstimateResult, z: float) -> float:
    """Standard deviation of the log undocumented count implied by one stratum's interval."""
    dark = part.estimate - part.observed
    if dark <= 0 or part.upper is None:
        return 0.0
    halves = [math.log(part.upper - part.observed) - math.log(dark)]
    if part.lower is not None and part.lower > part.observed:
        halves.append(math.log(dark) - math.log(part.lower - part.observed))
    return max(sum(halves) / len(halves), 0.0) / z
