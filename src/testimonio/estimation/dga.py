"""Bayesian model averaging over decomposable graphical models (Madigan and York 1997; R ``dga``).

Each decomposable graph on the lists is a model of their dependence; instead of choosing one,
the posterior of N averages over all of them, weighted by how well each explains the data. The
marginal likelihood of a graph is exact (hyper-Dirichlet prior, one term per clique divided by one
per separator), so the posterior is computed on a grid of the unobserved count, not sampled.

Copied from dga 2.0.2: each marginal cell of a component gets prior mass ``delta * 2**(J - |C|)``,
the all-zero cell of every margin receives the unobserved count, the multinomial coefficient is
included, and the default prior on N is 1/N. Only 3 to 5 lists (8, 61 and 822 graphs).

This method "never fails", even when lists do not overlap at all: callers must read the capture
histories' warnings before trusting it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import special

from testimonio.errors import EstimationError
from testimonio.estimation.capture_histories import CaptureHistories
from testimonio.estimation.results import EstimateResult

__all__ = ["DgaPosterior", "decomposable_graphs", "dga_estimate", "dga_posterior"]

Component = tuple[int, ...]
Graph = tuple[tuple[Component, ...], tuple[Component, ...]]  # cliques, non-empty separators
LogPrior = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class DgaPosterior:
    """Joint posterior of (graph, N) on a grid, and its summaries."""

    graphs: tuple[Graph, ...]
    totals: np.ndarray
    weights: np.ndarray  # (graphs, totals), sums to 1

    @property
    def distribution(self) -> np.ndarray:
        """Posterior probability of each total, averaged over graphs."""
        return self.weights.sum(axis=0)

    @property
    def model_probabilities(self) -> np.ndarray:
        """Posterior probability of each graph."""
        return self.weights.sum(axis=1)

    def quantile(self, probability: float) -> float:
        """Smallest total whose posterior cumulative probability reaches ``probability``."""
        cumulative = np.cumsum(self.distribution)
        return float(self.totals[np.searchsorted(cumulative, probability - 1e-12)])

    def mode(self) -> float:
        """Most probable total, averaged over graphs."""
        return float(self.totals[np.argmax(self.distribution)])

    def top_model_mode(self) -> float:
        """Most probable total under the most probable graph."""
        top = int(np.argmax(self.model_probabilities))
        return float(self.totals[np.argmax(self.weights[top])])

    def bayes_estimate(self) -> float:
        """Estimate under relative squared-error loss, E[1/N] / E[1/N^2] (Madigan and York)."""
        distribution = self.distribution
        return float(np.sum(distribution / self.totals) / np.sum(distribution / self.totals**2))


@cache
def decomposable_graphs(n_lists: int) -> tuple[Graph, ...]:
    """Every decomposable (chordal) graph on ``n_lists`` vertices with cliques and separators."""
    edges = list(itertools.combinations(range(n_lists), 2))
    graphs = []
    for size in range(len(edges) + 1):
        for chosen in itertools.combinations(edges, size):
            adjacency = {frozenset(edge) for edge in chosen}
            if _is_chordal(n_lists, adjacency):
                graphs.append(_cliques_and_separators(n_lists, adjacency))
    return tuple(graphs)


def _is_chordal(n_vertices: int, adjacency: set[frozenset[int]]) -> bool:
    """Chordal iff simplicial vertices can be removed one by one until none is left."""
    remaining = set(range(n_vertices))
    while remaining:
        for vertex in sorted(remaining):
            neighbours = [other for other in remaining if frozenset((vertex, other)) in adjacency]
            if all(frozenset(pair) in adjacency for pair in itertools.combinations(neighbours, 2)):
                remaining.remove(vertex)
                break
        else:
            return False
    return True


def _cliques_and_separators(n_vertices: int, adjacency: set[frozenset[int]]) -> Graph:
    def complete(vertices: tuple[int, ...]) -> bool:
        return all(frozenset(pair) in adjacency for pair in itertools.combinations(vertices, 2))

    subsets = [
        subset
        for size in range(1, n_vertices + 1)
        for subset in itertools.combinations(range(n_vertices), size)
        if complete(subset)
    ]
    cliques = [c for c in subsets if not any(set(c) < set(other) for other in subsets)]
    # Junction tree: maximum-weight spanning tree of the clique graph (Kruskal).
    links = sorted(
        (
            (len(set(a) & set(b)), i, j)
            for (i, a), (j, b) in itertools.combinations(enumerate(cliques), 2)
        ),
        reverse=True,
    )
    root = list(range(len(cliques)))

    def find(node: int) -> int:
        while root[node] != node:
            node = root[node]
        return node

    separators = []
    for weight, i, j in links:
        if find(i) != find(j):
            root[find(i)] = find(j)
            if weight:
                separators.append(tuple(sorted(set(cliques[i]) & set(cliques[j]))))
    return tuple(cliques), tuple(separators)


def dga_posterior(
    histories: CaptureHistories,
    missing: np.ndarray,
    *,
    delta: float | None = None,
    log_prior: LogPrior | None = None,
) -> DgaPosterior:
    """Posterior over graphs and totals ``n + missing`` (``missing``: unobserved counts)."""
    n_lists = histories.n_lists
    if not 3 <= n_lists <= 5:
        raise EstimationError(
            f"Madigan-York model averaging is available for 3 to 5 lists; found {n_lists}"
        )
    delta = 2.0**-n_lists if delta is None else delta
    missing = np.asarray(missing, dtype=float)
    observed = histories.observed
    totals = observed + missing
    components = _component_log_likelihoods(histories, missing, delta)
    per_table = special.gammaln(delta * 2**n_lists) - special.gammaln(totals + delta * 2**n_lists)
    graphs = decomposable_graphs(n_lists)
    log_weights = np.empty((len(graphs), missing.size))
    for index, (cliques, separators) in enumerate(graphs):
        log_weights[index] = (
            sum(components[clique] for clique in cliques)
            - sum((components[separator] for separator in separators), np.zeros_like(missing))
            + (len(cliques) - len(separators)) * per_table
        )
    log_weights += _log_multinomial_coefficient(histories, missing)
    log_weights += (log_prior or _reciprocal_prior)(totals)
    weights = np.exp(log_weights - log_weights.max())
    return DgaPosterior(graphs, totals, weights / weights.sum())


def _reciprocal_prior(totals: np.ndarray) -> np.ndarray:
    return -np.log(totals)


def negative_binomial_prior(shape: float, scale: float) -> LogPrior:
    """Madigan and York's negative binomial prior on N (their a and b)."""

    def log_prior(totals: np.ndarray) -> np.ndarray:
        return (
            totals * np.log(scale)
            - (totals + shape) * np.log1p(scale)
            + special.gammaln(totals + shape)
            - special.gammaln(totals + 1)
            - special.gammaln(shape)
        )

    return log_prior


def _component_log_likelihoods(
    histories: CaptureHistories, missing: np.ndarray, delta: float
) -> dict[Component, np.ndarray]:
    n_lists = histories.n_lists
    patterns, counts = histories.patterns, histories.counts
    result = {}
    for size in range(1, n_lists + 1):
        for component in itertools.combinations(range(n_lists), size):
            prior = delta * 2 ** (n_lists - size)
            codes = patterns[:, component] @ (2 ** np.arange(size))
            margin = np.bincount(codes, weights=counts, minlength=2**size)
            rest = special.gammaln(margin[1:] + prior).sum() - special.gammaln(prior) * (
                2**size - 1
            )
            zero_cell = special.gammaln(margin[0] + missing + prior) - special.gammaln(prior)
            result[component] = zero_cell + rest
    return result


def _log_multinomial_coefficient(histories: CaptureHistories, missing: np.ndarray) -> np.ndarray:
    observed = histories.observed
    return (
        special.gammaln(missing + observed + 1)
        - special.gammaln(histories.counts + 1).sum()
        - special.gammaln(missing + 1)
    )


def default_grid(histories: CaptureHistories, points: int = 5000) -> np.ndarray:
    """Unobserved counts 0..10n, at most ``points`` of them (the posterior is cut off there)."""
    upper = 10 * histories.observed
    step = max(1, -(-upper // points))
    return np.arange(0, upper + 1, step, dtype=float)


def dga_estimate(
    histories: CaptureHistories,
    *,
    missing: np.ndarray | None = None,
    delta: float | None = None,
    log_prior: LogPrior | None = None,
    level: float = 0.95,
) -> EstimateResult:
    """Posterior median and equal-tailed interval of N, averaged over decomposable graphs."""
    grid = default_grid(histories) if missing is None else missing
    posterior = dga_posterior(histories, grid, delta=delta, log_prior=log_prior)
    tail = (1 - level) / 2
    probabilities = posterior.model_probabilities
    top = int(np.argmax(probabilities))
    warnings = list(histories.warnings)
    if posterior.distribution[-1] > 1e-4 * posterior.distribution.max():
        warnings.append("the posterior is cut off by the upper end of the grid of totals")
    return EstimateResult(
        method="dga",
        observed=histories.observed,
        estimate=posterior.quantile(0.5),
        lower=posterior.quantile(tail),
        upper=posterior.quantile(1 - tail),
        level=level,
        model=f"average over {len(posterior.graphs)} decomposable graphs (Madigan-York)",
        interval="equal-tailed posterior credible interval",
        diagnostics={
            "posterior_mode": posterior.mode(),
            "bayes_estimate": posterior.bayes_estimate(),
            "top_model": _describe_graph(posterior.graphs[top], histories.list_names),
            "top_model_probability": float(probabilities[top]),
            "grid_upper": float(posterior.totals[-1]),
        },
        warnings=tuple(warnings),
    )


def _describe_graph(graph: Graph, names: tuple[str, ...]) -> str:
    cliques, _ = graph
    return " ".join("[" + ",".join(names[i] for i in clique) + "]" for clique in cliques)
