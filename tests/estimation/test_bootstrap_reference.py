"""Bootstrap BCa intervals that re-run model selection (SparseMSE, nboot=1000, within 3%)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from testimonio.estimation import CaptureHistories, bootstrap_interval, stepwise_sparse

Load = Callable[[str], CaptureHistories]

DATA = Path(__file__).parent / "data"

#: SparseMSE 2.0.1 ``estimatepopulation(NewOrl_5, iseed = s)`` upper 97.5% limits, s = 1..16 (R
#: 4.2.2 on this machine; see data/README.md): mean 1,572, s.d. 52. The published seed 1234
#: gives 1,703.7, 2.5 s.d. above that mean.
R_UPPER_LIMITS_BY_SEED = (
    *(1613.8, 1654.2, 1506.6, 1535.4, 1630.1, 1655.8, 1531.9, 1532.5),
    *(1619.5, 1589.9, 1557.9, 1492.6, 1529.7, 1525.5, 1576.4, 1579.6),
)


def stepwise_total(histories: CaptureHistories) -> float:
    return stepwise_sparse(histories, threshold=0.02).estimate


def r_resamples(histories: CaptureHistories) -> tuple[np.ndarray, np.ndarray]:
    """R's seed-1234 resamples (columns in the order of ``histories.patterns``), R's estimates."""
    frame = pd.read_csv(DATA / "sparsemse_NewOrl_5_resamples_seed1234.csv", dtype=str)
    codes = ["".join(map(str, pattern)) for pattern in histories.patterns]
    return frame[codes].to_numpy().astype(np.int64), frame["r_estimate"].to_numpy(float)


@pytest.mark.slow
def test_it_reproduces_the_new_orleans_bca_interval(reference: Load) -> None:
    interval = bootstrap_interval(reference("sparsemse_NewOrl"), stepwise_total, seed=1234)
    assert interval.estimate == pytest.approx(1_183.7, rel=1e-3)
    assert (interval.lower, interval.upper) == pytest.approx((717.2, 1_657.6), rel=0.03)


@pytest.mark.slow
def test_it_reproduces_the_new_orleans_five_list_bca_interval_from_rs_resamples(
    reference: Load,
) -> None:
    histories = reference("sparsemse_NewOrl_5")
    resamples, r_estimates = r_resamples(histories)
    interval = bootstrap_interval(histories, stepwise_total, resamples=resamples)
    np.testing.assert_allclose(interval.replicates, r_estimates, rtol=1e-6)
    assert interval.estimate == pytest.approx(1_034.2, rel=1e-3)
    assert interval.acceleration == pytest.approx(-0.0552, abs=1e-4)
    assert float(np.mean(interval.replicates < interval.estimate)) == pytest.approx(0.256)
    assert (interval.lower, interval.upper) == pytest.approx((588.8, 1_703.7), rel=1e-3)


@pytest.mark.slow
def test_its_own_five_list_interval_is_within_rs_seed_to_seed_spread(reference: Load) -> None:
    """With numpy's stream the upper limit is one more draw from R's distribution over seeds."""
    interval = bootstrap_interval(reference("sparsemse_NewOrl_5"), stepwise_total, seed=1234)
    centre = statistics.mean(R_UPPER_LIMITS_BY_SEED)
    spread = statistics.stdev(R_UPPER_LIMITS_BY_SEED)
    assert abs(interval.upper - centre) < 3 * spread
    assert interval.lower == pytest.approx(588.8, rel=0.03)


def test_it_refuses_resamples_of_another_size(reference: Load) -> None:
    histories = reference("sparsemse_NewOrl_5")
    resamples, _ = r_resamples(histories)
    with pytest.raises(ValueError, match="as many people"):
        bootstrap_interval(histories, stepwise_total, resamples=resamples[:, :] * 2)
    with pytest.raises(ValueError, match="one column per"):
        bootstrap_interval(histories, stepwise_total, resamples=resamples[:, 1:])


def test_it_is_reproducible_with_the_same_seed(reference: Load) -> None:
    histories = reference("sparsemse_NewOrl_5")
    first = bootstrap_interval(histories, stepwise_total, replicates=50, seed=7)
    second = bootstrap_interval(histories, stepwise_total, replicates=50, seed=7)
    assert (first.lower, first.upper) == (second.lower, second.upper)
