"""Convergence diagnostics for MCMC output: effective sample size and R-hat.

A sampler's interval is only as good as its chains: these numbers say whether the draws are many
enough and whether chains started from different seeds agree (Gelman et al. 2013, BDA3 ch. 11).
"""

from __future__ import annotations

import numpy as np

__all__ = ["effective_sample_size", "split_rhat"]


def effective_sample_size(draws: np.ndarray) -> float:
    """ESS of one chain, summing autocorrelations over Geyer's initial positive pairs."""
    draws = np.asarray(draws, dtype=float)
    size = draws.size
    centred = draws - draws.mean()
    variance = centred.var()
    if size < 4 or variance == 0:
        return float(size)
    spectrum = np.fft.rfft(centred, n=2 * size)
    autocovariance = np.fft.irfft(spectrum * np.conj(spectrum))[:size] / size
    correlation = autocovariance / variance
    total = 0.0
    for lag in range(1, size - 1, 2):
        pair = correlation[lag] + correlation[lag + 1]
        if pair < 0:
            break
        total += pair
    return float(min(size, size / (1 + 2 * total)))


def split_rhat(chains: np.ndarray) -> float:
    """Split-chain potential scale reduction factor; near 1 when chains agree."""
    chains = np.asarray(chains, dtype=float)
    half = chains.shape[1] // 2
    split = np.vstack([chains[:, :half], chains[:, half : 2 * half]])
    length = split.shape[1]
    within = split.var(axis=1, ddof=1).mean()
    between = length * split.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0
    pooled = (length - 1) / length * within + between / length
    return float(np.sqrt(pooled / within))
