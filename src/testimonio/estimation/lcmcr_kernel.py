"""The compiled Gibbs sweep of the LCMCR sampler (numba). See :mod:`lcmcr` for the model.

Kept apart so that the model-level code stays readable and only this file needs numba's subset of
Python. Every function here works in place on the arrays of a :class:`ChainState`; each chain has
its own NumPy ``Generator`` (PCG64), seeded by :func:`initial_state`.

Speed (see docs/benchmarks/estimation.md, "LCMCR sampler speed"): the sweep must be at least as
fast as R LCMCR's C++. What it took, measured with ``perf``:

* Draws go through numba's compiled ports of NumPy's ``Generator`` algorithms
  (``numba.np.random.distributions``) on the generator's bit generator, not through
  ``rng.beta(...)`` and the like: each method call on the ``Generator`` object costs an atomic
  reference-count increment and decrement, which took a quarter of the sweep.
* Helpers are inlined (``inline="always"``) and take whole arrays with a row index, never slices,
  for the same reason.
* Small binomials (n·p ≤ 30, almost all of them) are drawn by inversion here, with (1 - p)^n by
  repeated squaring instead of ``exp(n log1p(-p))``: the same algorithm as NumPy's, at half the
  cost. Larger ones use NumPy's BTPE.
* The multinomials visit classes by decreasing weight, so the counts run out after a few binomials
  and the remaining classes get 0 without a draw. The multinomial law does not depend on the
  order in which its conditional binomials are drawn.
* An empty class's capture probabilities are Beta(1, 1), that is uniform draws.

Each of these changes draws from exactly the same distributions as R's C++; only the random
stream differs (a seed gives other chains than R's, as it always did).

Compiled once, not per process (``cache=True``): compiling the sweep took about 10 s before the
first sweep of every ``testimonio estimate``. numba keeps the machine code in ``__pycache__`` next
to this file, or, where that is not writable (an installed package in a read-only site-packages),
in the user's cache directory (``~/.cache/numba`` or the platform's equivalent); ``NUMBA_CACHE_DIR``
overrides both. The cache is keyed on this file's contents and the CPU, so an edit or a
new machine recompiles, and concurrent writers (parallel tests, parallel chains) replace entries
atomically. Caching changes no draw: the same seed gives the same chain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numba.np.random.distributions import (
    random_beta,
    random_binomial,
    random_negative_binomial,
    random_standard_gamma,
)
from numba.np.random.generator_core import next_double

__all__ = ["ChainState", "initial_state", "order_classes", "sweep"]

SMALL_MEAN = 30.0  # binomials with n·min(p, 1-p) up to this are drawn by inversion (as NumPy does)


@dataclass
class ChainState:
    """Current values of every unknown in one chain, and the chain's random stream."""

    capture_probability: np.ndarray  # (J, K) lambda_jk
    weights: np.ndarray  # (K,) nu_k
    log_weights: np.ndarray  # (K,)
    pattern_classes: np.ndarray  # (M, K) people of each observed pattern in each class
    missing_classes: np.ndarray  # (K,) unobserved people in each class
    concentration: np.ndarray  # (1,) alpha
    missing: np.ndarray  # (1,) n0, people on no list
    rng: np.random.Generator


def initial_state(cells: np.ndarray, counts: np.ndarray, classes: int, seed: int) -> ChainState:
    """The C++ sampler's starting point: marginal capture rates, fixed weights, alpha = 0.3/K."""
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
        rng=np.random.default_rng(seed),
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
        state.rng,
        hyper,
        cap,
        sweeps,
        update_concentration,
    )


# The helpers below take ``bits``, the Generator's bit generator as numba sees it (no Python type).


@njit(cache=True, inline="always")
def _total(values: np.ndarray) -> float:
    result = 0.0
    for index in range(values.size):
        result += values[index]
    return result


@njit(cache=True, inline="always")
def _power(base: float, exponent: int) -> float:
    """base**exponent for a non-negative integer exponent, by repeated squaring."""
    result = 1.0
    while exponent > 0:
        if exponent & 1:
            result *= base
        base *= base
        exponent >>= 1
    return result


@njit(cache=True, inline="always")
def _binomial_inversion(bits: object, n: int, p: float) -> int:
    """Binomial(n, p) by inversion (NumPy's algorithm for small n·p); restarts on round-off."""
    start = _power(1.0 - p, n)
    ratio = p / (1.0 - p)
    while True:
        u = next_double(bits)
        mass = start
        x = 0
        while u > mass and x < n:
            u -= mass
            x += 1
            mass *= (n - x + 1) * ratio / x
        if u <= mass:
            return x


@njit(cache=True, inline="always")
def _binomial(bits: object, n: int, p: float) -> int:
    if p <= 0.5:
        if n * p <= SMALL_MEAN:
            return _binomial_inversion(bits, n, p)
        return random_binomial(bits, n, p)
    if n * (1.0 - p) <= SMALL_MEAN:
        return n - _binomial_inversion(bits, n, 1.0 - p)
    return random_binomial(bits, n, p)


@njit(cache=True, inline="always")
def _order_by_weight(weights: np.ndarray, order: np.ndarray) -> None:
    """Class indices by decreasing weight (insertion sort: K is small, no allocation)."""
    for k in range(weights.size):
        order[k] = k
    for i in range(1, weights.size):
        k = order[i]
        j = i
        while j > 0 and weights[order[j - 1]] < weights[k]:
            order[j] = order[j - 1]
            j -= 1
        order[j] = k


@njit(cache=True, inline="always")
def _multinomial(
    bits: object, total: int, weights: np.ndarray, order: np.ndarray, out: np.ndarray
) -> None:
    """Multinomial draw with unnormalised weights, by conditional binomials in ``order``."""
    size = weights.size
    rest = _total(weights)
    remaining = total
    for index in range(size - 1):
        k = order[index]
        if remaining == 0:
            out[k] = 0
            continue
        share = weights[k] / rest if rest > 0 else 0.0
        if share >= 1.0:
            draw = remaining
        elif share <= 0.0:
            draw = 0
        else:
            draw = _binomial(bits, remaining, share)
        out[k] = draw
        remaining -= draw
        rest -= weights[k]
    out[order[size - 1]] = remaining


@njit(cache=True, inline="always")
def _categorical(bits: object, weights: np.ndarray) -> int:
    target = next_double(bits) * _total(weights)
    running = 0.0
    for k in range(weights.size):
        running += weights[k]
        if target < running:
            return k
    return weights.size - 1


@njit(cache=True, inline="always")
def _log_gamma_variate(bits: object, shape: float) -> float:
    """log of a Gamma(shape, 1) draw, safe for small shapes (no underflow to log 0)."""
    if shape <= 0.0:
        return -np.inf
    if shape < 1.0:
        boosted = random_standard_gamma(bits, shape + 1.0)
        return np.log(boosted) + np.log(1.0 - next_double(bits)) / shape
    return np.log(random_standard_gamma(bits, shape))


@njit(cache=True, inline="always")
def _class_weights(
    cells: np.ndarray, m: int, lam: np.ndarray, weights: np.ndarray, out: np.ndarray
) -> None:
    """nu_k times the probability of pattern ``cells[m]`` in class k."""
    for k in range(weights.size):
        product = weights[k]
        for j in range(lam.shape[0]):
            product *= lam[j, k] if cells[m, j] == 1 else 1.0 - lam[j, k]
        out[k] = product


@njit(cache=True)
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
    rng: np.random.Generator,
    hyper: np.ndarray,
    cap: int,
    sweeps: int,
    update_concentration: bool,
) -> None:
    bits = rng.bit_generator
    n_patterns, n_lists = cells.shape
    classes = weights.size
    observed = counts.sum()
    probabilities = np.empty(classes)
    draws = np.empty(classes, dtype=np.int64)
    order = np.empty(classes, dtype=np.int64)
    nowhere = np.zeros((1, n_lists), dtype=np.int64)
    ones = np.empty((n_lists, classes))
    totals = np.empty(classes)
    for _ in range(sweeps):
        # 1. latent classes of the observed people, pattern by pattern
        _order_by_weight(weights, order)
        for m in range(n_patterns):
            _class_weights(cells, m, lam, weights, probabilities)
            if counts[m] > 1:
                _multinomial(bits, counts[m], probabilities, order, draws)
                for k in range(classes):
                    pattern_classes[m, k] = draws[k]
            else:
                chosen = _categorical(bits, probabilities)
                for k in range(classes):
                    pattern_classes[m, k] = 1 if k == chosen else 0
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
                if totals[k] == 0:
                    lam[j, k] = next_double(bits)  # Beta(1, 1)
                else:
                    lam[j, k] = random_beta(bits, 1.0 + ones[j, k], 1.0 + totals[k] - ones[j, k])
        # 3. stick-breaking weights, in log space
        people_before = 0.0
        log_rest = 0.0
        everyone = observed + missing[0]
        for k in range(classes - 1):
            people_before += totals[k]
            first = _log_gamma_variate(bits, 1.0 + totals[k])
            second = _log_gamma_variate(bits, concentration[0] + everyone - people_before)
            both = np.logaddexp(first, second)
            log_weights[k] = first - both + log_rest
            log_rest += second - both
        log_weights[classes - 1] = log_rest
        for k in range(classes):
            weights[k] = np.exp(log_weights[k])
        # 4-6. the unobserved people: how many, and in which classes
        _class_weights(nowhere, 0, lam, weights, probabilities)
        unseen = min(_total(probabilities), 1.0 - 1e-15)
        draw = random_negative_binomial(bits, observed, 1.0 - unseen)
        tries = 1
        while draw > cap and tries < 10_000:
            draw = random_negative_binomial(bits, observed, 1.0 - unseen)
            tries += 1
        missing[0] = min(draw, cap)
        _order_by_weight(probabilities, order)
        _multinomial(bits, missing[0], probabilities, order, missing_classes)
        # 7. concentration of the stick-breaking prior
        # (a last weight that underflows to 0 must not drive alpha to exactly 0)
        if update_concentration:
            rate = hyper[1] - max(log_weights[classes - 1], -1e6)
            draw_alpha = random_standard_gamma(bits, hyper[0] + classes - 1.0) / rate
            concentration[0] = max(draw_alpha, 1e-300)
