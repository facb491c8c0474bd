"""The compiled Gibbs sweep of the LCMCR sampler (numba). See :mod:`lcmcr` for the model.

Kept apart so that the model-level code stays readable and only this file needs numba's subset of
Python. Every function here works in place on the arrays of a :class:`ChainState`; the random
stream is numba's own, seeded per chain by :func:`initial_state`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

__all__ = ["ChainState", "initial_state", "order_classes", "sweep"]


@dataclass
class ChainState:
    """Current values of every unknown in one chain."""

    capture_probability: np.ndarray  # (J, K) lambda_jk
    weights: np.ndarray  # (K,) nu_k
    log_weights: np.ndarray  # (K,)
    pattern_classes: np.ndarray  # (M, K) people of each observed pattern in each class
    missing_classes: np.ndarray  # (K,) unobserved people in each class
    concentration: np.ndarray  # (1,) alpha
    missing: np.ndarray  # (1,) n0, people on no list


def initial_state(cells: np.ndarray, counts: np.ndarray, classes: int, seed: int) -> ChainState:
    """The C++ sampler's starting point: marginal capture rates, fixed weights, alpha = 0.3/K."""
    _seed(seed)
    rates = (cells * counts[:, None]).sum(axis=0) / counts.sum()
    weights = np.full(classes, 1.0 / classes)
    if classes > 4:
        weights[:4] = 0.25 * 0.9
        weights[4:] = 0.1 / (classes - 4)
    return ChainState(
        capture_probability=np.repeat(rates[:, None], classes, axis=1).astype(float),
        weights=weights,
        log_weights=np.log(weights),
        pattern_classes=np.zeros((len(counts), classes), dtype=np.int64),
        missing_classes=np.zeros(classes, dtype=np.int64),
        concentration=np.array([0.3 / classes]),
        missing=np.zeros(1, dtype=np.int64),
    )


def order_classes(state: ChainState) -> None:
    """Relabel classes by decreasing weight (harmless for N; tidier traces)."""
    order = np.argsort(-state.weights, kind="stable")
    state.capture_probability[:] = state.capture_probability[:, order]
    state.weights[:] = state.weights[order]
    state.log_weights[:] = state.log_weights[order]
    state.pattern_classes[:] = state.pattern_classes[:, order]
    state.missing_classes[:] = state.missing_classes[order]


def sweep(
    cells: np.ndarray,
    counts: np.ndarray,
    state: ChainState,
    hyper: np.ndarray,
    cap: int,
    sweeps: int,
    update_concentration: bool,
) -> None:
    """Run ``sweeps`` Gibbs sweeps in place."""
    _sweeps(
        cells,
        counts,
        state.capture_probability,
        state.weights,
        state.log_weights,
        state.pattern_classes,
        state.missing_classes,
        state.concentration,
        state.missing,
        hyper,
        cap,
        sweeps,
        update_concentration,
    )


@njit(cache=False)
def _seed(seed: int) -> None:
    np.random.seed(seed)


@njit(cache=False)
def _multinomial(total: int, weights: np.ndarray, out: np.ndarray) -> None:
    """Multinomial draw with unnormalised weights, by conditional binomials."""
    size = weights.size
    rest = weights.sum()
    remaining = total
    for k in range(size - 1):
        if remaining == 0:
            out[k] = 0
            continue
        share = weights[k] / rest if rest > 0 else 0.0
        if share >= 1.0:
            draw = remaining
        elif share <= 0.0:
            draw = 0
        else:
            draw = np.random.binomial(remaining, share)
        out[k] = draw
        remaining -= draw
        rest -= weights[k]
    out[size - 1] = remaining


@njit(cache=False)
def _categorical(weights: np.ndarray) -> int:
    target = np.random.random() * weights.sum()
    running = 0.0
    for k in range(weights.size):
        running += weights[k]
        if target < running:
            return k
    return weights.size - 1


@njit(cache=False)
def _log_gamma_variate(shape: float) -> float:
    """log of a Gamma(shape, 1) draw, safe for small shapes (no underflow to log 0)."""
    if shape <= 0.0:
        return -np.inf
    if shape < 1.0:
        return np.log(np.random.gamma(shape + 1.0)) + np.log(1.0 - np.random.random()) / shape
    return np.log(np.random.gamma(shape))


@njit(cache=False)
def _class_weights(cell: np.ndarray, lam: np.ndarray, weights: np.ndarray, out: np.ndarray) -> None:
    for k in range(weights.size):
        product = weights[k]
        for j in range(cell.size):
            product *= lam[j, k] if cell[j] == 1 else 1.0 - lam[j, k]
        out[k] = product


@njit(cache=False)
def _sweeps(  # noqa: PLR0913 (numba needs flat arrays, not objects)
    cells: np.ndarray,
    counts: np.ndarray,
    lam: np.ndarray,
    weights: np.ndarray,
    log_weights: np.ndarray,
    pattern_classes: np.ndarray,
    missing_classes: np.ndarray,
    concentration: np.ndarray,
    missing: np.ndarray,
    hyper: np.ndarray,
    cap: int,
    sweeps: int,
    update_concentration: bool,
) -> None:
    n_patterns, n_lists = cells.shape
    classes = weights.size
    observed = counts.sum()
    probabilities = np.empty(classes)
    zeros = np.zeros(n_lists, dtype=np.int64)
    ones = np.empty((n_lists, classes))
    totals = np.empty(classes)
    for _ in range(sweeps):
        # 1. latent classes of the observed people, pattern by pattern
        for m in range(n_patterns):
            _class_weights(cells[m], lam, weights, probabilities)
            if counts[m] > 1:
                _multinomial(counts[m], probabilities, pattern_classes[m])
            else:
                pattern_classes[m, :] = 0
                pattern_classes[m, _categorical(probabilities)] = 1
        # 2. capture probabilities, Beta(1 + captured, 1 + not captured)
        for k in range(classes):
            totals[k] = missing_classes[k]
            for j in range(n_lists):
                ones[j, k] = 0.0
        for m in range(n_patterns):
            for k in range(classes):
                people = pattern_classes[m, k]
                totals[k] += people
                for j in range(n_lists):
                    if cells[m, j] == 1:
                        ones[j, k] += people
        for j in range(n_lists):
            for k in range(classes):
                lam[j, k] = np.random.beta(1.0 + ones[j, k], 1.0 + totals[k] - ones[j, k])
        # 3. stick-breaking weights, in log space
        people_before = 0.0
        log_rest = 0.0
        everyone = observed + missing[0]
        for k in range(classes - 1):
            people_before += totals[k]
            first = _log_gamma_variate(1.0 + totals[k])
            second = _log_gamma_variate(concentration[0] + everyone - people_before)
            both = np.logaddexp(first, second)
            log_weights[k] = first - both + log_rest
            log_rest += second - both
        log_weights[classes - 1] = log_rest
        for k in range(classes):
            weights[k] = np.exp(log_weights[k])
        # 4-6. the unobserved people: how many, and in which classes
        _class_weights(zeros, lam, weights, probabilities)
        unseen = min(probabilities.sum(), 1.0 - 1e-15)
        draw = np.random.negative_binomial(observed, 1.0 - unseen)
        tries = 1
        while draw > cap and tries < 10_000:
            draw = np.random.negative_binomial(observed, 1.0 - unseen)
            tries += 1
        missing[0] = min(draw, cap)
        _multinomial(missing[0], probabilities, missing_classes)
        # 7. concentration of the stick-breaking prior
        # (a last weight that underflows to 0 must not drive alpha to exactly 0)
        if update_concentration:
            rate = hyper[1] - max(log_weights[classes - 1], -1e6)
            draw_alpha = np.random.gamma(hyper[0] + classes - 1.0, 1.0 / rate)
            concentration[0] = max(draw_alpha, 1e-300)
