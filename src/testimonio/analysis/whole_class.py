"""Totals for the whole class: the population estimate times the documented shares.

A figure of the panel counts the *documented* people who had an experience (turned away,
repeatedly, after expressing fear, each tactic). The class is larger: multiple systems
estimation (:mod:`testimonio.estimation`) estimates how many people there are in all,
documented or not. The class total of an experience is ``N * p``, with ``N`` the estimated
number of people and ``p`` the share of documented people (with an event) who had it.

Both are uncertain, and the uncertainty of both is propagated by simulation:

* ``N`` is drawn from a log-normal distribution whose median is the estimate and whose
  central interval at the estimate's level is the estimate's interval (the geometric mean of
  the two half-widths on the log scale: the form of the log-normal and profile intervals the
  estimation reports); a draw below the documented count is raised to it (the class holds at
  least the people documented);
* ``p`` is drawn from its Jeffreys posterior ``Beta(x + 1/2, n - x + 1/2)``;
* each of ``draws`` products ``N * p`` is one draw of the class total, reported as its median
  and the central 95% interval.

**The representativeness assumption** (:data:`ASSUMPTION`, printed with every table): the
people no list documented had each experience as often as the documented people did. It
fails when documentation depends on the experience (people threatened are less likely to
speak to a documenter, or more), and then the total is biased in that direction; the
interval does not cover that.

Plain Python, no Django: the estimate arrives as a :class:`PopulationEstimate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from testimonio.analysis.data import AnalysisData
from testimonio.analysis.panel import PERSON_FIGURES, counts_table
from testimonio.errors import InputError

#: Stated in every output that shows class totals.
ASSUMPTION = (
    "Class totals assume the people no list documented had each experience as often as the "
    "documented people did (representativeness); the interval does not cover a departure "
    "from it."
)
DRAWS = 20_000
#: figure id -> count column of the counts table (the base is always "persons").
_COUNT_COLUMNS = {
    "persons_turned_away": "turned_persons",
    "persons_turned_away_repeatedly": "repeated",
    "persons_fear_expressed_then_turned_away": "fear_turned_persons",
}


@dataclass(frozen=True)
class PopulationEstimate:
    """An estimate of how many people a stratum holds (``""``: the whole project)."""

    estimate: float
    lower: float
    upper: float
    level: float = 0.95
    stratum: str = ""
    method: str = ""


@dataclass(frozen=True)
class ClassTotal:
    figure_id: str
    by: str  # the breakdown field, "" for the whole project
    stratum: str
    documented: int  # documented people who had the experience
    documented_base: int  # documented people with an event (the share's denominator)
    population: float  # the estimate of N
    population_lower: float
    population_upper: float
    share: float
    total: float  # median of the draws of N * p
    lower: float  # 2.5% quantile
    upper: float  # 97.5% quantile
    draws: int


def _log_sigma(estimate: PopulationEstimate) -> float:
    if not (0 < estimate.lower <= estimate.estimate <= estimate.upper):
        raise InputError(
            f"the population estimate of stratum {estimate.stratum or 'all'!r} needs an "
            "interval around a positive estimate",
            column="estimate",
        )
    z = float(norm.ppf(0.5 + estimate.level / 2))
    low = np.log(estimate.estimate) - np.log(estimate.lower)
    high = np.log(estimate.upper) - np.log(estimate.estimate)
    return float(np.sqrt(low * high)) / z if low > 0 and high > 0 else max(low, high) / z


def class_totals(
    data: AnalysisData,
    estimates: Sequence[PopulationEstimate],
    by: str | None = None,
    *,
    draws: int = DRAWS,
    seed: int = 0,
) -> list[ClassTotal]:
    """The class total of every person figure in each stratum of ``by`` that has an estimate.

    ``estimates`` are keyed by their ``stratum`` (the group label of ``by``, or ``""`` for
    the whole project). A stratum with documented people but no estimate is left out; an
    estimate for a stratum with no documented person with an event is an error.
    """
    table = counts_table(data, by)
    rng = np.random.default_rng(seed)
    ids = [*PERSON_FIGURES, *(f"tactic:{code}" for code in data.tactic_codes)]
    rows = []
    for estimate in estimates:
        if estimate.stratum not in table.index:
            raise InputError(f"no documented person in stratum {estimate.stratum!r}",
                             column=by or "stratum")  # fmt: skip
        counts = table.loc[estimate.stratum].fillna(0).to_dict()
        base = int(counts["persons"])
        if base == 0:
            raise InputError(f"no documented person in stratum {estimate.stratum!r}",
                             column=by or "stratum")  # fmt: skip
        sigma = _log_sigma(estimate)
        population = np.exp(rng.normal(np.log(estimate.estimate), sigma, draws))
        population = np.maximum(population, base)
        for figure_id in ids:
            count = int(counts[_COUNT_COLUMNS.get(figure_id, figure_id)])
            share = rng.beta(count + 0.5, base - count + 0.5, draws)
            low, mid, high = np.quantile(population * share, [0.025, 0.5, 0.975])
            rows.append(
                ClassTotal(figure_id, by or "", estimate.stratum, count, base,
                           estimate.estimate, estimate.lower, estimate.upper, count / base,
                           float(mid), float(low), float(high), draws)
            )  # fmt: skip
    return rows


def class_total_lines(rows: Sequence[ClassTotal]) -> list[str]:
    """The totals as a plain table, the assumption under it."""
    lines = [f"{'class total':<44} {'stratum':<16} {'documented':>10} {'total':>10}  95% interval"]
    for row in rows:
        lines.append(
            f"{row.figure_id:<44} {row.stratum or 'all':<16} {row.documented:>10,} "
            f"{row.total:>10,.0f}  [{row.lower:,.0f}, {row.upper:,.0f}]"
        )
    lines.append(ASSUMPTION)
    return lines


__all__ = [
    "ASSUMPTION",
    "ClassTotal",
    "PopulationEstimate",
    "class_total_lines",
    "class_totals",
]
