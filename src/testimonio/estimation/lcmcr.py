"""Bayesian non-parametric latent class capture-recapture (LCMCR, Manrique-Vallier 2016).

People differ in how likely each list is to document them; a mixture of latent classes, within
which lists are independent, absorbs that heterogeneity and list dependence. The number of classes
is left to the data through a truncated stick-breaking (Dirichlet process) prior with K classes.

This is a port of the Gibbs sampler of the R package LCMCR (``NPLCM_CR_Basic_Freq.cpp``), with
the same priors and constants, which are part of the model and must not drift:
a 1/N prior on N, Beta(1, 1) on each class's capture probabilities, Gamma(0.25, 0.25) on the
stick-breaking concentration, data augmentation over the distinct observed patterns, the missing
(all-zero) count drawn from its negative binomial full conditional and redrawn while it exceeds
20 times the observed count, and the sampler's own initialisation and 500-sweep warm-up.
The sweep is compiled with numba (once: the machine code is cached, see :mod:`lcmcr_kernel`);
each chain is seeded, so results are reproducible. Chains run in parallel, one process per core
(:func:`run_chains`); a chain's draws depend only on its seed, never on which process ran it.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace

import numpy as np

from testimonio.estimation import lcmcr_kernel
from testimonio.estimation.capture_histories import CaptureHistories
from testimonio.estimation.diagnostics import effective_sample_size, split_rhat
from testimonio.estimation.results import EstimateResult

__all__ = [
    "LcmcrSettings",
    "classes_sensitivity",
    "lcmcr_estimate",
    "published_classes",
    "run_chain",
    "run_chains",
]

#: The unobserved count is redrawn while it exceeds this multiple of the observed count.
#: This is the one place where the sampler departs from the C++ code we could read: LCMCR
#: 0.4.13's ``sam_n0`` has no cap (the reference runs used 0.4.14, whose source we do not have).
#: The reference's Netherlands 97.5% quantile, 171,201, sits just under 21n = 172,914, as ours
#: does with the cap (about 170k); R 0.4.13 built from source here, uncapped, gives 190k-280k in
#: that state (tests/estimation/data/LCMCR_R_RUNS.md). The cap does not change which state a chain
#: settles in: over seeds 1-20, capped and uncapped chains stall on the same seeds.
CAP_FACTOR = 20
#: Sweeps run before burn-in, without updating the concentration (as the C++ sampler does).
WARM_UP = 500
#: Posterior medians at two values of K further apart than this share of the first: the
#: estimate depends on K, and says so (:func:`classes_sensitivity`).
CLASSES_SHARE = 0.10
#: HRDAG's ceiling on K (verdata ``mse()``, the Colombian truth commission's estimates).
MOST_CLASSES = 15


def published_classes(n_lists: int) -> int:
    """HRDAG's choice of K for J lists, min(2^J - 1, 15) (verdata's ``mse()`` default).

    2^J - 1 is the number of observable capture patterns: more classes than patterns cannot be
    told apart by the data. 15 caps the cost on many lists.
    """
    return min(2**n_lists - 1, MOST_CLASSES)


@dataclass(frozen=True)
class LcmcrSettings:
    """Sampler settings: the reference runs' (K=5, a=b=0.25) but a longer burn-in.

    On some data the posterior has two states that the sampler, R's as ours, rarely crosses
    (UK 5 lists: a low state near 12k that chains leave after up to 300,000 sweeps; Netherlands
    6 and 5 lists: states near 50k and 145k that a chain can keep for 2,000,000 sweeps). Over seeds
    1-20, R's LCMCR and ours leave the same share of chains in each state (test_lcmcr_reference).
    500,000 burn-in sweeps (about 8 s per chain here) clear the UK low state (0 of 20 chains left,
    in R and here), but do not decide between the Netherlands states: only several chains with
    their R-hat can show that the answer depends on the chain. Hence four chains by default: on
    data with two states each chain lands in either about half the time, so two chains agree by
    chance half the time and hide the second state, four about one time in eight.
    """

    classes: int = 5
    a_alpha: float = 0.25
    b_alpha: float = 0.25
    burn_in: int = 500_000
    samples: int = 1_000
    thinning: int = 100
    seeds: tuple[int, ...] = (12345, 54321, 31415, 27182)

    @property
    def iterations_per_chain(self) -> int:
        """Sweeps per chain after the warm-up."""
        return self.burn_in + self.samples * self.thinning


def run_chain(
    histories: CaptureHistories,
    settings: LcmcrSettings,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """One seeded chain: ``settings.samples`` posterior draws of the total N."""
    cells = np.ascontiguousarray(histories.patterns, dtype=np.int64)
    counts = np.ascontiguousarray(histories.counts, dtype=np.int64)
    state = lcmcr_kernel.initial_state(cells, counts, settings.classes, seed)
    cap = CAP_FACTOR * histories.observed
    hyper = np.array([settings.a_alpha, settings.b_alpha])
    lcmcr_kernel.sweep(cells, counts, state, hyper, cap, WARM_UP, False)
    lcmcr_kernel.order_classes(state)
    _advance(cells, counts, state, hyper, cap, settings.burn_in, progress)
    draws = np.empty(settings.samples)
    for index in range(settings.samples):
        lcmcr_kernel.sweep(cells, counts, state, hyper, cap, settings.thinning, True)
        draws[index] = histories.observed + state.missing[0]
        if progress is not None:
            progress(settings.thinning)
    return draws


def _advance(
    cells: np.ndarray,
    counts: np.ndarray,
    state: lcmcr_kernel.ChainState,
    hyper: np.ndarray,
    cap: int,
    sweeps: int,
    progress: Callable[[int], None] | None,
) -> None:
    block = 10_000
    for start in range(0, sweeps, block):
        size = min(block, sweeps - start)
        lcmcr_kernel.sweep(cells, counts, state, hyper, cap, size, True)
        if progress is not None:
            progress(size)


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_chains(
    histories: CaptureHistories,
    settings: LcmcrSettings,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int | None = None,
) -> np.ndarray:
    """Every seed's chain, one row each, in parallel on up to ``workers`` processes.

    ``workers`` defaults to one per available core (at most one per chain); with one, the chains
    run here one after the other. The rows are the same either way: a chain depends only on its
    seed. Worker processes are started with "spawn", not "fork": the CLI's progress bar runs a
    thread, and forking a process with threads can deadlock. They load the compiled sweep from
    numba's cache; progress travels back over a queue and is reported here.
    """
    count = min(len(settings.seeds), workers or available_cores())
    if count <= 1:
        chains = [run_chain(histories, settings, seed, progress) for seed in settings.seeds]
        return np.vstack(chains)
    context = multiprocessing.get_context("spawn")
    sweeps_done = context.Queue() if progress is not None else None
    with ProcessPoolExecutor(
        count, mp_context=context, initializer=_start_worker, initargs=(sweeps_done,)
    ) as pool:
        futures = [pool.submit(_worker_chain, histories, settings, seed) for seed in settings.seeds]
        total = settings.iterations_per_chain * len(settings.seeds)
        _relay_progress(futures, sweeps_done, progress, total)
        return np.vstack([future.result() for future in futures])


_worker_progress: multiprocessing.Queue[int] | None = None


def _start_worker(sweeps_done: multiprocessing.Queue[int] | None) -> None:
    global _worker_progress  # noqa: PLW0603 (the one per-process value a pool initializer sets)
    _worker_progress = sweeps_done


def _worker_chain(histories: CaptureHistories, settings: LcmcrSettings, seed: int) -> np.ndarray:
    sweeps_done = _worker_progress
    report = sweeps_done.put if sweeps_done is not None else None
    return run_chain(histories, settings, seed, report)


def _relay_progress(
    futures: list[Future[np.ndarray]],
    sweeps_done: multiprocessing.Queue[int] | None,
    progress: Callable[[int], None] | None,
    total: int,
) -> None:
    """Wait for the chains, passing on the ``total`` sweeps the workers report as they run."""
    if sweeps_done is None or progress is None:
        wait(futures)
        return
    while total > 0:
        try:
            done = sweeps_done.get(timeout=0.1)
        except queue.Empty:
            finished = all(future.done() for future in futures)
            # a failed chain reports no more; its error surfaces with its result
            if finished and any(future.exception() is not None for future in futures):
                return
            continue
        progress(done)
        total -= done


def lcmcr_estimate(
    histories: CaptureHistories,
    settings: LcmcrSettings | None = None,
    *,
    level: float = 0.95,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> EstimateResult:
    """Posterior median of N and its equal-tailed credible interval, over several chains.

    The chains run in parallel (see :func:`run_chains`; ``workers=1`` runs them here in turn).
    """
    settings = settings or LcmcrSettings()
    chains = run_chains(histories, settings, progress, workers=workers)
    pooled = chains.ravel()
    tail = (1 - level) / 2
    lower, median, upper = np.quantile(pooled, [tail, 0.5, 1 - tail])
    diagnostics = _diagnostics(chains, settings)
    warnings = _warnings(diagnostics)
    return EstimateResult(
        method="lcmcr",
        observed=histories.observed,
        estimate=float(median),
        lower=float(lower),
        upper=float(upper),
        level=level,
        model=f"latent class model, up to K={settings.classes} classes (Manrique-Vallier 2016)",
        interval="equal-tailed posterior credible interval",
        diagnostics=diagnostics,
        warnings=(*histories.warnings, *warnings),  # data warnings travel with every method
        sound=not warnings,
    )


def classes_to_check(histories: CaptureHistories, classes: int) -> int | None:
    """The second K to run beside ``classes``: the published choice (:func:`published_classes`)
    when it differs, else None (a user who already follows it has nothing to compare with
    unless they name a second K)."""
    published = published_classes(histories.n_lists)
    return published if published != classes else None


def classes_sensitivity(
    histories: CaptureHistories,
    settings: LcmcrSettings,
    result: EstimateResult,
    other_classes: int,
    *,
    share: float = CLASSES_SHARE,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> EstimateResult:
    """``result`` (at ``settings.classes``) with the median at ``other_classes`` beside it.

    On many lists the posterior can move with the truncation level K (Manrique-Vallier 2016 asks
    for K large enough that the last classes stay empty). The same chains are run at a second K;
    if the two medians differ by more than ``share`` of the first, a warning says so and the
    result is no longer sound. The figures go to ``diagnostics["classes_sensitivity"]``.
    """
    other = replace(settings, classes=other_classes)
    other_median = float(np.median(run_chains(histories, other, progress, workers=workers)))
    difference = abs(other_median - result.estimate) / result.estimate
    check = {
        "classes": [settings.classes, other_classes],
        "medians": [result.estimate, other_median],
        "relative_difference": difference,
        "share": share,
    }
    warnings = list(result.warnings)
    if difference > share:
        warnings.append(
            f"the estimate depends on the maximum number of latent classes: median "
            f"{result.estimate:,.0f} at K={settings.classes}, {other_median:,.0f} at "
            f"K={other_classes} ({difference:.0%} apart, more than {share:.0%}); report both"
        )
    return replace(
        result,
        diagnostics={**result.diagnostics, "classes_sensitivity": check},
        warnings=tuple(warnings),
        sound=result.sound and difference <= share,
    )


def _diagnostics(chains: np.ndarray, settings: LcmcrSettings) -> dict[str, object]:
    pooled = chains.ravel()
    quantiles = np.quantile(pooled, [0.025, 0.1, 0.5, 0.9, 0.975])
    return {
        "posterior_mean": float(pooled.mean()),
        "quantiles": dict(
            zip(["2.5%", "10%", "50%", "90%", "97.5%"], quantiles.tolist(), strict=True)
        ),
        "chain_medians": np.median(chains, axis=1).tolist(),
        "effective_sample_size": float(sum(effective_sample_size(chain) for chain in chains)),
        "rhat": float(split_rhat(chains)) if len(chains) > 1 else None,
        "seeds": list(settings.seeds),
        "classes": settings.classes,
        "burn_in": settings.burn_in,
        "samples_per_chain": settings.samples,
        "thinning": settings.thinning,
        "trace": chains.tolist(),
    }


def _warnings(diagnostics: dict[str, object]) -> list[str]:
    messages = []
    rhat = diagnostics["rhat"]
    if isinstance(rhat, float) and rhat > 1.1:
        messages.append(
            f"chains with different seeds disagree (R-hat {rhat:.2f} > 1.1): the posterior may "
            "have several modes; run longer chains or more seeds before relying on it"
        )
    ess = diagnostics["effective_sample_size"]
    if isinstance(ess, float) and ess < 100:
        messages.append(f"only {ess:.0f} effective samples: the interval is imprecise")
    return messages
