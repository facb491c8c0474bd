"""LCMCR posteriors against R LCMCR (K=5, a=b=0.25, burn-in 100,000, 1,000 draws thinned by 100).

Eight data sets reproduce the reference posterior over two seeds: median within 5%, 2.5% and
97.5% quantiles within 10%. On the other three, R's own sampler puts a chain in one of two
separated states depending on its seed (R run seed by seed: data/LCMCR_R_RUNS.md), so no fixed
pair of seeds can "reproduce" one run's figures. There we check that our chains land in each
state as often as R's do (seeds 1-20), and that those in the reference's state reproduce it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import fisher_exact, ks_2samp

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

# Data sets whose chains, in R as here, settle near one of two values of N and rarely cross
# between them (R, seeds 1-20: most chain medians lie within 15% of one of the two; the few in
# between crossed during sampling). A chain is in the low state if its median is below their
# geometric mean.
TWO_STATES = {
    "sparsemse_UKdat_5": (12_400, 22_000),  # a low state some chains leave late, and the bulk
    "sparsemse_Ned": (51_000, 146_000),  # both states persist over 2,000,000 sweeps in R
    "sparsemse_Ned_5": (49_000, 140_000),  # the reference run sits in the lower one
}
SEEDS = range(1, 21)  # R's chains in tests/estimation/data/lcmcr_r_chains_by_seed.csv
R_CHAINS = Path(__file__).parent / "data" / "lcmcr_r_chains_by_seed.csv"
# R's draws pooled over its chains in each state (seeds 1-20): 2.5%, median, 97.5%
R_POOLED = Path(__file__).parent / "data" / "lcmcr_r_pooled_by_state.csv"


def boundary(name: str) -> float:
    low, high = TWO_STATES[name]
    return float(np.sqrt(low * high))


def r_chain_medians(name: str, burn_in: int = 100_000) -> np.ndarray:
    with R_CHAINS.open(newline="") as handle:
        rows = [
            row
            for row in csv.DictReader(handle)
            if row["data"] == name and int(row["burn_in"]) == burn_in and int(row["seed"]) in SEEDS
        ]
    assert len(rows) == len(SEEDS)
    return np.array([float(row["q50"]) for row in rows])


@pytest.fixture(scope="module")
def chains_by_seed(reference: Load) -> Callable[[str], np.ndarray]:
    """Our chains for seeds 1-20 with the reference settings, one row per seed (computed once)."""
    cache: dict[str, np.ndarray] = {}

    def chains(name: str) -> np.ndarray:
        if name not in cache:
            histories = reference(name)
            cache[name] = np.vstack([run_chain(histories, SETTINGS, seed) for seed in SEEDS])
        return cache[name]

    return chains


@pytest.mark.slow
@pytest.mark.parametrize("name", [name for name in REFERENCE if name not in TWO_STATES])
def test_it_reproduces_the_reference_lcmcr_posterior(reference: Load, name: str) -> None:
    assert_matches_reference(lcmcr_estimate(reference(name), SETTINGS), name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TWO_STATES))
def test_chains_stay_in_the_low_state_as_often_as_rs(
    chains_by_seed: Callable[[str], np.ndarray], name: str
) -> None:
    """Same count of low-state chains over seeds 1-20 as R's, up to chance (Fisher's exact test)."""
    ours = int((np.median(chains_by_seed(name), axis=1) < boundary(name)).sum())
    r = int((r_chain_medians(name) < boundary(name)).sum())
    table = [[ours, len(SEEDS) - ours], [r, len(SEEDS) - r]]
    assert fisher_exact(table).pvalue > 0.05, f"low-state chains: ours {ours}, R {r} of 20"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TWO_STATES))
def test_chain_medians_are_distributed_as_rs(
    chains_by_seed: Callable[[str], np.ndarray], name: str
) -> None:
    ours = np.median(chains_by_seed(name), axis=1)
    assert ks_2samp(ours, r_chain_medians(name)).pvalue > 0.05


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TWO_STATES))
def test_chains_in_the_reference_state_reproduce_the_reference(
    chains_by_seed: Callable[[str], np.ndarray], name: str
) -> None:
    """Pooled over the seeds whose chain sits in the reference run's state: the median within 5%;
    each tail quantile within 10%, or no farther from the reference than R's own chains in that
    state, pooled the same way over some set of 20 seeds, are (R's seed-12345 reference run is one
    draw of that spread). Netherlands 5 has a rare third state near 17k that 1-3 chains in 20
    visit, in R as here: R's pooled 2.5% quantile ranges from 19,666 to 41,522 over four sets of
    20 seeds (data/LCMCR_R_RUNS.md)."""
    chains = chains_by_seed(name)
    state = "high" if REFERENCE[name][1] > boundary(name) else "low"
    in_state = (np.median(chains, axis=1) > boundary(name)) == (state == "high")
    assert in_state.sum() >= 2
    pooled = chains[in_state].ravel()
    low, median, high = REFERENCE[name]
    assert np.median(pooled) == pytest.approx(median, rel=0.05)
    r_tails = r_pooled_tails(name, state)
    for ours, column, reference in (
        (np.quantile(pooled, 0.025), 0, low),
        (np.quantile(pooled, 0.975), 1, high),
    ):
        r_farthest = max(abs(tails[column] / reference - 1) for tails in r_tails)
        assert abs(ours / reference - 1) <= max(0.10, r_farthest), (ours, r_tails, reference)


def r_pooled_tails(name: str, state: str) -> list[tuple[float, float]]:
    """R's pooled 2.5% and 97.5% quantiles in ``state``, one pair per set of 20 seeds."""
    with R_POOLED.open(newline="") as handle:
        rows = [
            row
            for row in csv.DictReader(handle)
            if row["data"] == name and row["state"] == state and row["burn_in"] == "100000"
        ]
    assert rows
    return [(float(row["q2_5"]), float(row["q97_5"])) for row in rows]


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
