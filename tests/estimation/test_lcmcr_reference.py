"""LCMCR posteriors reproduce R LCMCR 0.4.14 (K=5, a=b=0.25, burn-in 100,000, 1,000 draws
thinned by 100) over two seeds: median within 5%, 2.5% and 97.5% quantiles within 10%."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from testimonio.estimation import CaptureHistories, EstimateResult, LcmcrSettings, lcmcr_estimate
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

# The sampler is a step-by-step port of LCMCR's NPLCM_CR_Basic_Freq.cpp (same priors, start state,
# 500-sweep warm-up, update order and negative binomial n0 with the 20n cap; without the cap Ned's
# 97.5% quantile would be 195k-230k, not the reference's 171k). The misses below are chains that
# have not left a metastable low-N state by the end of the 100,000 burn-in sweeps, not a model
# difference: with 500,000 burn-in sweeps the same seeds reproduce all three (test below), and in
# long runs every chain moves to the reference's mode and stays there.
KNOWN_MISSES = {
    "sparsemse_UKdat_5": (
        "burn-in: seed 2 sits near 12.4k for ~220k sweeps, then moves to the ~21.6k mode and "
        "stays there over 1.2M sweeps. With 100k burn-in: R-hat 1.94, pooled median 15,082 "
        "[10,930, 30,515] vs reference 21,912 [15,468, 31,482]; with 500k: 22,078 "
        "[15,780, 34,370], R-hat 1.02"
    ),
    "sparsemse_Ned": (
        "burn-in: seed 1 sits near 51k for ~280k sweeps, then moves to ~145k and stays there "
        "over 1M sweeps. With 100k burn-in: R-hat 3.42, pooled median 111,426 [44,430, 167,467] "
        "vs reference 147,352 [114,520, 171,201]; with 500k: 143,144 [111,839, 170,739], "
        "R-hat 1.01"
    ),
    "sparsemse_Ned_5": (
        "97.5% quantile 63,501 vs 56,757 (+11.9%) with 100k burn-in (per-seed 97.5%: 59.4k, "
        "70.7k, 62.9k, 57.7k for seeds 1-4); median 49,084 and 2.5% 40,689 fine; with 500k: "
        "49,006 [41,868, 57,942]"
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
    assert_matches_reference(lcmcr_estimate(reference(name), SETTINGS), name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(KNOWN_MISSES))
def test_the_known_misses_are_burn_in_not_model(reference: Load, name: str) -> None:
    """Same sampler and seeds, 500,000 burn-in sweeps: every known miss above is reproduced."""
    longer = LcmcrSettings(classes=5, burn_in=500_000, samples=1_000, thinning=100, seeds=(1, 2))
    result = lcmcr_estimate(reference(name), longer)
    assert_matches_reference(result, name)
    assert result.diagnostics["rhat"] < 1.1


def assert_matches_reference(result: EstimateResult, name: str) -> None:
    low, median, high = REFERENCE[name]
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
