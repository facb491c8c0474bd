"""Poisson log-linear models of capture histories (Rcapture's ``closedpCI.t``, in Python).

The ``2**J - 1`` observable cell counts are fitted by a Poisson GLM whose design has an intercept,
one 0/1 column per list and products of list columns for interactions. The all-zero cell is
extrapolated from the model: ``N = n + exp(intercept)``. Interactions always form a hierarchical set
(every lower-order margin of an interaction is in the model): a missing main effect gives silent
nonsense, so :func:`hierarchical_closure` is applied to every model given here.

Pairs of lists that share nobody are handled the SparseMSE way when ``drop_empty_overlaps`` is set:
their interaction is -infinity, so the cells holding both lists are removed from the fit instead
of letting the GLM iterate towards -infinity.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from testimonio.estimation.capture_histories import CaptureHistories

__all__ = [
    "LoglinearFit",
    "Term",
    "describe_terms",
    "fit_loglinear",
    "hierarchical_closure",
]

#: An interaction: the sorted indices (0-based) of the lists it joins.
Term = tuple[int, ...]


@dataclass(frozen=True)
class LoglinearFit:
    """A fitted log-linear model and what model choice and intervals need from it."""

    histories: CaptureHistories
    terms: tuple[Term, ...]
    heterogeneity: str | None
    empty_overlaps: tuple[Term, ...]
    design: np.ndarray
    cell_patterns: np.ndarray
    cell_counts: np.ndarray
    coefficients: np.ndarray
    covariance: np.ndarray
    pvalues: np.ndarray
    fitted: np.ndarray
    deviance: float
    log_likelihood: float
    rank: int
    converged: bool
    warnings: tuple[str, ...] = field(default=())

    @property
    def observed(self) -> int:
        """People documented by at least one list."""
        return self.histories.observed

    @property
    def undocumented(self) -> float:
        """Estimated people documented by no list: the exponential of the intercept."""
        return float(np.exp(self.coefficients[0]))

    @property
    def estimate(self) -> float:
        """Estimated total (Poisson abundance)."""
        return self.observed + self.undocumented

    @property
    def standard_error(self) -> float:
        """Rcapture's standard error of the Poisson abundance."""
        dark = self.undocumented
        return math.sqrt(dark + dark**2 * float(self.covariance[0, 0]))

    @property
    def aic(self) -> float:
        """R's ``glm`` AIC, plus 2 per dropped non-overlapping pair (as SparseMSE counts them)."""
        return -2 * self.log_likelihood + 2 * (self.rank + len(self.empty_overlaps))

    @property
    def bic(self) -> float:
        """Rcapture's BIC: ``-2 log L + log(n) * rank``."""
        return -2 * self.log_likelihood + math.log(self.observed) * self.rank

    @property
    def description(self) -> str:
        """The model in words a reader can check: its interactions by list name."""
        text = describe_terms(self.terms, self.histories.list_names)
        if self.heterogeneity:
            text += f" + heterogeneity ({self.heterogeneity})"
        if self.empty_overlaps:
            names = self.histories.list_names
            pairs = ", ".join(":".join(names[i] for i in term) for term in self.empty_overlaps)
            text += f"; non-overlapping pairs fixed at -inf: {pairs}"
        return text


def hierarchical_closure(terms: Iterable[Sequence[int]]) -> tuple[Term, ...]:
    """Every interaction of order >= 2 implied by ``terms``, sorted by order then lexically."""
    closed: set[Term] = set()
    for term in terms:
        term = tuple(sorted(set(term)))
        for order in range(2, len(term) + 1):
            closed.update(itertools.combinations(term, order))
    return tuple(sorted(closed, key=lambda term: (len(term), term)))


def describe_terms(terms: Sequence[Term], list_names: Sequence[str]) -> str:
    """``main effects + A:B + B:C`` for the given interactions."""
    if not terms:
        return "main effects (independent lists)"
    named = [":".join(list_names[index] for index in term) for term in terms]
    return "main effects + " + " + ".join(named)


def fit_loglinear(
    histories: CaptureHistories,
    terms: Iterable[Sequence[int]] = (),
    *,
    heterogeneity: str | None = None,
    drop_empty_overlaps: bool = False,
    excluded_patterns: Sequence[Sequence[int]] = (),
) -> LoglinearFit:
    """Fit the hierarchical Poisson log-linear model with the given interactions.

    ``heterogeneity`` adds Rcapture's column for heterogeneous capture: ``"darroch"`` (k^2/2)
    or ``"poisson2"`` (2^k - 1), k being the number of lists a pattern is on.
    ``excluded_patterns`` get an indicator column each, which removes them from the fit.
    """
    closed = hierarchical_closure(terms)
    patterns, counts = histories.full_table()
    empty: tuple[Term, ...] = ()
    if drop_empty_overlaps:
        closed, empty = _split_empty_overlaps(histories, closed)
        keep = _cells_without(patterns, empty)
        patterns, counts = patterns[keep], counts[keep]
    design = build_design(patterns, closed, heterogeneity, excluded_patterns)
    return _fit(histories, closed, heterogeneity, empty, design, patterns, counts)


def build_design(
    patterns: np.ndarray,
    terms: Sequence[Term],
    heterogeneity: str | None = None,
    excluded_patterns: Sequence[Sequence[int]] = (),
) -> np.ndarray:
    """Intercept, list indicators, interaction products and optional extra columns."""
    columns = [np.ones(len(patterns)), *patterns.T.astype(float)]
    columns += [np.prod(patterns[:, list(term)], axis=1).astype(float) for term in terms]
    captures = patterns.sum(axis=1).astype(float)
    if heterogeneity == "darroch":
        columns.append(captures**2 / 2)
    elif heterogeneity == "poisson2":
        columns.append(2.0**captures - 1)
    elif heterogeneity is not None:
        raise ValueError(f"unknown heterogeneity {heterogeneity!r}")
    for excluded in excluded_patterns:
        columns.append(np.all(patterns == np.asarray(excluded), axis=1).astype(float))
    return np.column_stack(columns)


def _split_empty_overlaps(
    histories: CaptureHistories, terms: tuple[Term, ...]
) -> tuple[tuple[Term, ...], tuple[Term, ...]]:
    pairs = set(histories.non_overlapping_pairs())
    empty = tuple(term for term in terms if len(term) == 2 and term in pairs)
    # A higher-order term containing an empty pair is -inf too: its cells are gone.
    kept = tuple(term for term in terms if not any(set(pair) <= set(term) for pair in empty))
    return kept, empty


def _cells_without(patterns: np.ndarray, empty: Sequence[Term]) -> np.ndarray:
    keep = np.ones(len(patterns), dtype=bool)
    for first, second in empty:
        keep &= (patterns[:, first] * patterns[:, second]) == 0
    return keep


@dataclass(frozen=True)
class GlmResult:
    """What a Poisson GLM fit gives back (the subset of R's ``glm`` object we use)."""

    coefficients: np.ndarray
    covariance: np.ndarray
    fitted: np.ndarray
    deviance: float
    rank: int
    converged: bool

    @property
    def pvalues(self) -> np.ndarray:
        """Two-sided Wald p-values, as ``summary.glm`` gives them for a Poisson model."""
        errors = np.sqrt(np.maximum(np.diag(self.covariance), 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.abs(self.coefficients) / errors
        return np.where(errors > 0, 2 * special.ndtr(-z), 1.0)


def poisson_glm(counts: np.ndarray, design: np.ndarray, *, max_iterations: int = 200) -> GlmResult:
    """Fit a Poisson GLM with log link by IRLS, with R's ``glm`` start and stopping rule.

    Model selection and the bootstrap fit thousands of tiny models, so this is plain numpy
    (statsmodels' GLM gives the same numbers, see the tests, at ~20 times the cost). A cell
    whose fitted value heads to 0 does not stop the iteration: like R we stop when the
    deviance no longer changes, and report ``converged`` honestly.
    """
    counts = np.asarray(counts, dtype=float)
    mean = counts + 0.1
    linear = np.log(mean)
    deviance = np.inf
    converged = False
    rank = 0
    coefficients = np.zeros(design.shape[1])
    for _ in range(max_iterations):
        working = linear + (counts - mean) / mean
        root = np.sqrt(mean)
        coefficients, _, rank, _ = np.linalg.lstsq(
            design * root[:, None], working * root, rcond=None
        )
        linear = np.clip(design @ coefficients, -700.0, 700.0)
        mean = np.exp(linear)
        previous, deviance = deviance, _poisson_deviance(counts, mean)
        if abs(deviance - previous) / (abs(deviance) + 0.1) < 1e-8:
            converged = True
            break
    information = design.T @ (design * mean[:, None])
    return GlmResult(
        coefficients=coefficients,
        covariance=np.linalg.pinv(information),
        fitted=mean,
        deviance=float(deviance),
        rank=int(rank),
        converged=converged,
    )


def _poisson_deviance(counts: np.ndarray, mean: np.ndarray) -> float:
    return float(
        2 * np.sum(special.xlogy(counts, counts) - special.xlogy(counts, mean) - (counts - mean))
    )


def _fit(
    histories: CaptureHistories,
    terms: tuple[Term, ...],
    heterogeneity: str | None,
    empty: tuple[Term, ...],
    design: np.ndarray,
    patterns: np.ndarray,
    counts: np.ndarray,
) -> LoglinearFit:
    result = poisson_glm(counts, design)
    fitted = result.fitted
    log_likelihood = float(
        np.sum(special.xlogy(counts, fitted) - fitted - special.gammaln(counts + 1))
    )
    notes = []
    if not result.converged:
        notes.append("the model did not converge: an interaction is heading to -infinity")
    if result.rank < design.shape[1]:
        notes.append("the design matrix is not of full rank: some effects are not identifiable")
    return LoglinearFit(
        histories=histories,
        terms=terms,
        heterogeneity=heterogeneity,
        empty_overlaps=empty,
        design=design,
        cell_patterns=patterns,
        cell_counts=counts,
        coefficients=result.coefficients,
        covariance=result.covariance,
        pvalues=result.pvalues,
        fitted=fitted,
        deviance=result.deviance,
        log_likelihood=log_likelihood,
        rank=result.rank,
        converged=result.converged,
        warnings=tuple(notes),
    )
