"""LCMCR posteriors reproduce R LCMCR 0.4.14 (K=5, a=b=0.25, burn-in 100,000, 1,000 draws
thinned by 100) over two seeds: median within 5%, 2.5% and 97.5% quantiles within 10%."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from testimonio.estimation import CaptureHistories, LcmcrSettings, lcmcr_estimate
from testimonio.estimation.lcmcr import run_chain

Load = Callable[[str], CaptureHistories]
SETTINGS = LcmcrSettings(classes=5, burn_in=100_000, samples=1_000, thinning=100, seeds=(1, 2))

# data set: (2.5%, median, 97.5%) of the reference posterior of N
REFERENCE = {
    "sparsemse_UKdat": (17_070, 22_777, 33_913),
    "sparsemse_UKdat_5": (15_468, 21_912, 31_482),
    "modslavmse_UKdat_4": (10_230, 11_966, 14_735),
    "sparsemse_Ned": (114_520, 147_352, 171_201),
    "sparsemse_Ned_5": (41_802, 48_186, 56_757),
    "sparsemse_NewOrl": (507, 714, 1_024),
    "sparsemse_NewOrl_5": (575, 838, 1_336),
    "rcapture_HIV": (9_358, 10_905, 12_921),
    "rcapture_lesbian": (4_513, 5_506, 6_927),
    "madiganyork_3list_spinabifida": (674, 731, 855),
    "madiganyork_5list": (590, 626, 718),
}

KNOWN_MISSES = {
    "sparsemse_UKdat_5": (
        "multimodal: seed 1 settles near 21.6k, seed 2 near 12.4k (R-hat 1.94); pooled "
        "median 15,082 [10,930, 30,515] vs reference 21,912 [15,468, 31,482]"
    ),
    "sparsemse_Ned": (
        "multimodal: seed 1 settles near 51k, seed 2 near 142k (R-hat 3.42); pooled "
        "median 111,426 [44,430, 167,467] vs reference 147,352 [114,520, 171,201]"
    ),
    "sparsemse_Ned_5": (
        "upper tail heavier than the reference: 97.5% quantile 63,501 vs 56,757 (+11.9%); "
        "median 49,084 (+1.9%) and 2.5% 40,689 (-2.7%) are within tolerance"
    ),
}


def cases() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[name]))
        if name in KNOWN_MISSES
        else name
        for name in REFERENCE
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", cases())
def test_it_reproduces_the_reference_lcmcr_posterior(reference: Load, name: str) -> None:
    low, median, high = REFERENCE[name]
    result = lcmcr_estimate(reference(name), SETTINGS)
    quantiles = result.diagnostics["quantiles"]
    assert quantiles["50%"] == pytest.approx(median, rel=0.05)
    assert (quantiles["2.5%"], quantiles["97.5%"]) == pytest.approx((low, high), rel=0.10)
    for chain_median in result.diagnostics["chain_medians"]:
        assert chain_median == pytest.approx(median, rel=0.05)


def test_it_is_reproducible_with_a_seed(reference: Load) -> None:
    settings = LcmcrSettings(burn_in=2_000, samples=50, thinning=10)
    histories = reference("rcapture_HIV")
    assert np.array_equal(run_chain(histories, settings, 3), run_chain(histories, settings, 3))


def test_different_seeds_give_different_chains(reference: Load) -> None:
    settings = LcmcrSettings(burn_in=2_000, samples=50, thinning=10)
    histories = reference("rcapture_HIV")
    assert not np.array_equal(run_chain(histories, settings, 3), run_chain(histories, settings, 4))


@pytest.mark.slow
def test_it_flags_chains_that_settle_on_different_modes(reference: Load) -> None:
    result = lcmcr_estimate(reference("sparsemse_Ned"), SETTINGS)
    assert result.diagnostics["rhat"] > 1.1
    assert not result.sound
    assert any("R-hat" in warning for warning in result.warnings)


def test_it_reports_trace_ess_and_rhat(reference: Load) -> None:
    settings = LcmcrSettings(burn_in=5_000, samples=200, thinning=10, seeds=(1, 2))
    result = lcmcr_estimate(reference("madiganyork_3list_spinabifida"), settings)
    assert len(result.diagnostics["trace"]) == 2 and len(result.diagnostics["trace"][0]) == 200
    assert 0 < result.diagnostics["effective_sample_size"] <= 400
    assert result.diagnostics["rhat"] == pytest.approx(1.0, abs=0.1)
