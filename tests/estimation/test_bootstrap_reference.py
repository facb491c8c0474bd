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
    reason="NewOrl5 BCa upper limit: measured 1,580.5 with seed 1234 (seeds 1-5: 1,489-1,651) "
    "vs the R reference 1,703.7 (-7%); lower 581.0 vs 588.8 is within 3%. R's RNG stream "
    "cannot be replayed and this limit sits in a thin tail of the bootstrap distribution.",
)
def test_it_reproduces_the_new_orleans_five_list_bca_interval(reference: Load) -> None:
    interval = bootstrap_interval(reference("sparsemse_NewOrl_5"), stepwise_total, seed=1234)
    assert (interval.lower, interval.upper) == pytest.approx((588.8, 1_703.7), rel=0.03)


def test_it_is_reproducible_with_the_same_seed(reference: Load) -> None:
    histories = reference("sparsemse_NewOrl_5")
    first = bootstrap_interval(histories, stepwise_total, replicates=50, seed=7)
    second = bootstrap_interval(histories, stepwise_total, replicates=50, seed=7)
    assert (first.lower, first.upper) == (second.lower, second.upper)
