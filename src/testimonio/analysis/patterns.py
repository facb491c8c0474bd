"""The pattern as a court asks about it: disparities, commonality, typicality.

* **Disparities** compare each group of a person field (nationality, gender identity, ...)
  with everyone else in the figure's denominator: risk ratio and difference with 95%
  intervals (:func:`~testimonio.analysis.intervals.compare_shares`) and the score test's
  p-value, adjusted for the number of comparisons in the table by Holm's step-down method.
* **Commonality**, per tactic: at how many ports and in how many quarters it is documented;
  whether its rate among persons turned away differs across ports (chi-square with a Monte
  Carlo p-value, fixed margins, seeded); whether it trends over time (binomial GLM of the
  quarterly shares on time in years, statsmodels); and a consistency table (tactic x port).
* **Typicality**: for each person marked as a named plaintiff, which share of the class
  (persons turned away) shares each of their experiences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import MonteCarloMethod, chi2_contingency
from statsmodels.stats.multitest import multipletests

from testimonio.analysis.data import AnalysisData
from testimonio.analysis.intervals import compare_shares, share_intervals
from testimonio.analysis.panel import (
    DEFINITIONS,
    EVENT_FIELDS,
    PERSON_FIGURES,
    counts_table,
    person_level,
)
from testimonio.errors import InputError

MONTE_CARLO_RESAMPLES = 4999


@dataclass(frozen=True)
class Disparity:
    figure_id: str
    by: str
    group: str
    count: int
    denominator: int
    reference_count: int
    reference_denominator: int
    risk_ratio: float
    ratio_lower: float
    ratio_upper: float
    difference: float
    difference_lower: float
    difference_upper: float
    p_value: float
    p_holm: float


def _columns(figure_id: str) -> tuple[str, str]:
    count, denominator, _ = DEFINITIONS.get(figure_id, (figure_id, "turned_persons", ""))
    return count, denominator


def disparities(
    data: AnalysisData, by: str, figure_ids: list[str] | None = None
) -> list[Disparity]:
    """Every group of ``by`` against the rest, for each person figure; Holm-adjusted."""
    if by in EVENT_FIELDS:
        raise InputError(f"disparities compare groups of people; {by!r} is a field of events")
    table = counts_table(data, by)
    whole = counts_table(data).iloc[0]
    ids = figure_ids or [*PERSON_FIGURES, *(f"tactic:{code}" for code in data.tactic_codes)]
    found = []
    for figure_id in ids:
        count_column, denominator_column = _columns(figure_id)
        for group, row in table.iterrows():
            count, denominator = int(row[count_column]), int(row[denominator_column])
            rest = int(whole[count_column]) - count
            rest_denominator = int(whole[denominator_column]) - denominator
            if denominator == 0 or rest_denominator == 0:
                continue
            comparison = compare_shares(count, denominator, rest, rest_denominator)
            found.append((figure_id, str(group), count, denominator, rest, rest_denominator,
                          comparison))  # fmt: skip
    if not found:
        return []
    adjusted = multipletests([item[-1].p_value for item in found], method="holm")[1]
    return [
        Disparity(figure_id, by, group, count, denominator, rest, rest_denominator,
                  c.risk_ratio, c.ratio_lower, c.ratio_upper, c.difference,
                  c.difference_lower, c.difference_upper, c.p_value, float(p_holm))
        for (figure_id, group, count, denominator, rest, rest_denominator, c), p_holm
        in zip(found, adjusted, strict=True)
    ]  # fmt: skip


@dataclass(frozen=True)
class Commonality:
    tactic: str
    persons: int
    ports_documented: int
    ports_with_turn_backs: int
    quarters_documented: int
    quarters_with_turn_backs: int
    port_chi_square: float
    port_p_value: float  # Monte Carlo; NaN when fewer than two ports can be compared
    trend_log_odds_per_year: float
    trend_lower: float
    trend_upper: float
    trend_p_value: float


def _port_test(counts: np.ndarray, denominators: np.ndarray, seed: int) -> tuple[float, float]:
    keep = denominators > 0
    table = np.column_stack([counts[keep], denominators[keep] - counts[keep]])
    if keep.sum() < 2 or (table.sum(axis=0) == 0).any():
        return float("nan"), float("nan")
    method = MonteCarloMethod(n_resamples=MONTE_CARLO_RESAMPLES, rng=np.random.default_rng(seed))
    result = chi2_contingency(table, correction=False, method=method)
    return float(result.statistic), float(result.pvalue)


def _trend(quarters: pd.Index, counts: np.ndarray, denominators: np.ndarray) -> tuple[float, ...]:
    known = np.asarray([label != "unknown" for label in quarters]) & (denominators > 0)
    if known.sum() < 3 or counts[known].sum() in (0, denominators[known].sum()):
        return (float("nan"),) * 4
    years = np.asarray([int(label[:4]) + (int(label[-1]) - 1) / 4 for label in quarters[known]])
    endog = np.column_stack([counts[known], denominators[known] - counts[known]])
    fit = sm.GLM(endog, sm.add_constant(years - years.min()), family=sm.families.Binomial()).fit()
    low, high = fit.conf_int()[1]
    return float(fit.params[1]), float(low), float(high), float(fit.pvalues[1])


def commonality(data: AnalysisData, seed: int = 0) -> tuple[list[Commonality], pd.DataFrame]:
    """Per tactic: where and when documented, the across-ports test, the trend; and the
    consistency table (share of persons turned away at each port who met each tactic)."""
    ports, quarters, whole = (
        counts_table(data, "port"), counts_table(data, "quarter"), counts_table(data).iloc[0]
    )  # fmt: skip
    rows, consistency = [], {}
    for code in data.tactic_codes:
        column = f"tactic:{code}"
        port_counts = ports[column].fillna(0).to_numpy(dtype=np.int64)
        port_turned = ports["turned_persons"].fillna(0).to_numpy(dtype=np.int64)
        quarter_counts = quarters[column].fillna(0).to_numpy(dtype=np.int64)
        quarter_turned = quarters["turned_persons"].fillna(0).to_numpy(dtype=np.int64)
        statistic, p_value = _port_test(port_counts, port_turned, seed)
        trend = _trend(quarters.index, quarter_counts, quarter_turned)
        rows.append(
            Commonality(code, int(whole[column]), int((port_counts > 0).sum()),
                        int((port_turned > 0).sum()), int((quarter_counts > 0).sum()),
                        int((quarter_turned > 0).sum()), statistic, p_value, *trend)
        )  # fmt: skip
        share = share_intervals(port_counts, port_turned)[0]
        consistency[code] = pd.Series(share, index=ports.index)
    return rows, pd.DataFrame(consistency).T


@dataclass(frozen=True)
class Typicality:
    person_id: str
    experience: str  # a figure id
    count: int  # persons turned away who share it
    denominator: int  # persons turned away (the class as documented)
    share: float
    lower: float
    upper: float


def typicality(data: AnalysisData) -> list[Typicality]:
    """For each named plaintiff, the class's share of each of their experiences."""
    level, _, _ = person_level(data)
    named = np.flatnonzero(data.persons["named_plaintiff"].to_numpy())
    whole = counts_table(data).iloc[0]
    rows = []
    for person in (int(row) for row in named):
        if person not in level.index or level.at[person, "turned"] == 0:
            continue
        own = level.loc[person]
        experiences = ["persons_turned_away"]
        if own["turned"] >= 2:
            experiences.append("persons_turned_away_repeatedly")
        if own["fear_turned"] > 0:
            experiences.append("persons_fear_expressed_then_turned_away")
        experiences += [column for column in level.columns if column.startswith("tactic:")
                        and own[column] > 0]  # fmt: skip
        for experience in experiences:
            count_column = _columns(experience)[0]
            count, denominator = int(whole[count_column]), int(whole["turned_persons"])
            share, lower, upper, _ = share_intervals(np.asarray([count]), np.asarray([denominator]))
            rows.append(Typicality(str(data.persons["person_id"].iloc[person]), experience,
                                   count, denominator, float(share[0]), float(lower[0]),
                                   float(upper[0])))  # fmt: skip
    return rows


__all__ = ["Commonality", "Disparity", "Typicality", "commonality", "disparities", "typicality"]
