"""Choosing which list interactions a log-linear model includes.

Three rules, each a faithful port of the code behind published figures:

* :func:`stepwise_sparse`: Chan, Silverman and Vincent (2021), SparseMSE ``stepwisefit``. Add the
  two-list interaction whose overlap is least compatible with the current model (one-sided Poisson
  p-value), if p < threshold and the enlarged model passes the existence and identifiability
  checks. Non-overlapping pairs are fixed at -infinity, never iterated towards it.
* :func:`stepwise_aic`: Bales, Hesketh and Silverman (2015), modslavmse ``MSEfit``. Add the
  interaction that lowers AIC most; stop when AIC stops falling or its Wald p-value exceeds the
  threshold. On sparse data it can choose a model with no upper limit: callers must check.
* :func:`best_model`: every hierarchical model up to ``max_order`` (Rcapture ``closedpMS.t``),
  ranked by BIC or AIC.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Literal

import numpy as np
from scipy import special

from testimonio.estimation.capture_histories import CaptureHistories
from testimonio.estimation.loglinear import LoglinearFit, Term, fit_loglinear
from testimonio.estimation.sparse_checks import ModelCheck, check_model

__all__ = ["best_model", "hierarchical_models", "stepwise_aic", "stepwise_sparse"]


def all_pairs(n_lists: int) -> list[Term]:
    """Every two-list interaction, in SparseMSE's order (1:2, 1:3, ..., 2:3, ...)."""
    return list(itertools.combinations(range(n_lists), 2))


def stepwise_sparse(histories: CaptureHistories, threshold: float = 0.02) -> LoglinearFit:
    """SparseMSE's stepwise fit with Poisson p-values and existence/identifiability checks."""
    pairs = all_pairs(histories.n_lists)
    overlaps = np.array([histories.overlap(*pair) for pair in pairs])
    chosen: list[Term] = []
    fit = fit_loglinear(histories, drop_empty_overlaps=True)
    for _ in pairs:
        candidate = _next_sound_pair(histories, fit, pairs, overlaps, chosen, threshold)
        if candidate is None:
            break
        chosen.append(candidate)
        fit = fit_loglinear(histories, chosen, drop_empty_overlaps=True)
    return fit


def _next_sound_pair(
    histories: CaptureHistories,
    fit: LoglinearFit,
    pairs: list[Term],
    overlaps: np.ndarray,
    chosen: list[Term],
    threshold: float,
) -> Term | None:
    """The pair SparseMSE adds next, or None.

    SparseMSE gives a failing candidate p = 1 and takes the first smallest p-value; checking
    candidates in order of p-value (ties by position) gives the same choice with one or two
    linear programs instead of one per pair.
    """
    candidates = sorted(
        (_overlap_pvalue(fit, pair, overlaps[index]), index)
        for index, pair in enumerate(pairs)
        if pair not in chosen
    )
    for pvalue, index in candidates:
        if pvalue >= threshold:
            return None
        if check_model(histories, [*chosen, pairs[index]]) == ModelCheck.SOUND:
            return pairs[index]
    return None


def _overlap_pvalue(fit: LoglinearFit, pair: Term, overlap: int) -> float:
    """Poisson p-value of the overlap of ``pair`` under ``fit`` (smaller of the two tails)."""
    cells = fit.cell_patterns[:, pair[0]] * fit.cell_patterns[:, pair[1]]
    expected = float(np.sum(fit.fitted * cells))
    lower = special.pdtr(overlap, expected)
    upper = special.pdtrc(overlap - 1, expected) if overlap > 0 else 1.0
    return float(min(lower, upper))


def stepwise_aic(histories: CaptureHistories, threshold: float = 0.05) -> LoglinearFit:
    """modslavmse's ``MSEfit``: forward selection by AIC with a Wald p-value threshold."""
    pairs = all_pairs(histories.n_lists)
    chosen: list[Term] = []
    fit = fit_loglinear(histories)
    for _ in pairs:
        candidates = [pair for pair in pairs if pair not in chosen]
        if not candidates:
            break
        fits = [fit_loglinear(histories, [*chosen, pair]) for pair in candidates]
        aics = [candidate.aic for candidate in fits]
        best = int(np.argmin(aics))
        if aics[best] >= fit.aic:
            break
        newcomer = fits[best]
        column = 1 + histories.n_lists + newcomer.terms.index(candidates[best])
        if newcomer.pvalues[column] > threshold:
            break
        chosen.append(candidates[best])
        fit = newcomer
    return fit


def hierarchical_models(n_lists: int, max_order: int = 2) -> Iterator[tuple[Term, ...]]:
    """Every hierarchical set of interactions of order 2..``max_order`` (main effects forced)."""

    def extend(chosen: tuple[Term, ...], order: int) -> Iterator[tuple[Term, ...]]:
        if order > max_order:
            yield chosen
            return
        lower = set(chosen)
        allowed = [
            term
            for term in itertools.combinations(range(n_lists), order)
            if order == 2 or all(sub in lower for sub in itertools.combinations(term, order - 1))
        ]
        for size in range(len(allowed) + 1):
            for subset in itertools.combinations(allowed, size):
                yield from extend(chosen + subset, order + 1)

    yield from extend((), 2)


def best_model(
    histories: CaptureHistories,
    *,
    max_order: int = 2,
    criterion: Literal["bic", "aic"] = "bic",
    heterogeneity: str | None = None,
) -> tuple[LoglinearFit, list[LoglinearFit]]:
    """The model with the smallest BIC (or AIC) and every model fitted, best first."""
    fits = [
        fit_loglinear(histories, terms, heterogeneity=heterogeneity)
        for terms in hierarchical_models(histories.n_lists, max_order)
    ]
    fits.sort(key=lambda fit: fit.bic if criterion == "bic" else fit.aic)
    return fits[0], fits


def rcapture_name(terms: tuple[Term, ...]) -> str:
    """Rcapture's model name: the highest terms, lists numbered from 1, e.g. ``[12,13,23]``."""
    tops = [term for term in terms if not any(set(term) < set(other) for other in terms)]
    return "[" + ",".join("".join(str(index + 1) for index in term) for term in tops) + "]"
