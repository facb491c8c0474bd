"""Bootstrap BCa intervals that re-run model selection (SparseMSE, nboot=1000, within 3%)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from testimonio.estimation import CaptureHistories, bootstrap_interval, stepwise_sparse

Load = Callable[[str], CaptureHistories]


def stepwise_total(histories: CaptureHistories) -> float:
    return stepwise_sparse(histories, threshold=0.02).estimate


@pytest.mark.slow
def test_it_reproduces_the_new_orleans_bca_interval(reference: Load) -> None:
    interval = bootstrap_interval(reference("sparsemse_NewOrl"), stepwise_total, seed=1234)
    assert interval.estimate == pytest.approx(1_183.7, rel=1e-3)
    assert (interval.lower, interval.upper) == pytest.approx((717.2, 1_657.6), rel=0.03)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="NewOrl5 BCa upper limit 1,580.5 (seed 1234) vs R 1,703.7 (-7%); seeds 11-18 give "
    "1,569-1,624 (mean 1,592, sd 22), so this is a systematic gap, not R's random stream. "
    "Ruled out: GLM iteration cap (25 as R: no replicate changes), failed replicates (none), "
    "quantile type. Our acceleration is -0.055 and z0 -0.77 (22% of replicates below the "
    "estimate); R's limit needs a of about +0.05 or z0 of about -0.69. Lower limit (the "
    "smallest replicate, 433-608 over seeds) is 581.0 vs 588.8.",
)
def test_it_reproduces_the_new_orleans_five_list_bca_interval(reference: Load) -> None:
    interval = bootstrap_interval(reference("sparsemse_NewOrl_5"), stepwise_total, seed=1234)
    assert (interval.lower, interval.upper) == pytest.approx((588.8, 1_703.7), rel=0.03)


def test_it_is_reproducible_with_the_same_seed(reference: Load) -> None:
    histories = reference("sparsemse_NewOrl_5")
    first = bootstrap_interval(histories, stepwise_total, replicates=50, seed=7)
    second = bootstrap_interval(histories, stepwise_total, replicates=50, seed=7)
    assert (first.lower, first.upper) == (second.lower, second.upper)
