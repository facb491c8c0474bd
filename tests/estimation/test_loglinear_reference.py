"""Log-linear estimates reproduce Rcapture, modslavmse and SparseMSE (README tolerances).

Point estimates within 0.1% of the reference, profile-likelihood limits within 0.5%.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import statsmodels.api as sm

from testimonio.estimation import (
    CaptureHistories,
    ModelCheck,
    best_model,
    check_model,
    fit_loglinear,
    log_normal_interval,
    loglinear_estimate,
    profile_interval,
    stepwise_aic,
    stepwise_sparse,
)
from testimonio.estimation.selection import hierarchical_models, rcapture_name

Load = Callable[[str], CaptureHistories]
POINT, LIMIT = 1e-3, 5e-3


def test_it_reproduces_rcapture_hiv_with_the_c1_c2_interaction(reference: Load) -> None:
    fit = fit_loglinear(reference("rcapture_HIV"), [(0, 1)])
    profile = profile_interval(fit)
    assert fit.estimate == pytest.approx(12_318.5, rel=POINT)
    assert fit.standard_error == pytest.approx(1_188.7, rel=POINT)
    assert (profile.lower, profile.upper) == pytest.approx((10_266, 14_992), rel=LIMIT)


def test_it_reproduces_rcapture_hare_mth_poisson2(reference: Load) -> None:
    fit = fit_loglinear(reference("rcapture_hare"), heterogeneity="poisson2")
    assert (round(fit.estimate, 1), round(fit.standard_error, 1)) == (81.1, 5.6)


def test_it_reproduces_rcapture_hare_mt_without_the_full_history(reference: Load) -> None:
    fit = fit_loglinear(reference("rcapture_hare"), excluded_patterns=[(1,) * 6])
    assert (round(fit.estimate, 1), round(fit.standard_error, 1)) == (76.8, 3.9)


def test_it_reproduces_rcapture_lesbian_mth_darroch(reference: Load) -> None:
    fit = fit_loglinear(reference("rcapture_lesbian"), heterogeneity="darroch")
    assert fit.estimate == pytest.approx(6_963.7, rel=POINT)


def test_it_reproduces_rcapture_lesbian_darroch_with_three_interactions(reference: Load) -> None:
    fit = fit_loglinear(
        reference("rcapture_lesbian"), [(0, 1), (0, 2), (0, 3)], heterogeneity="darroch"
    )
    assert fit.estimate == pytest.approx(7_030.7, rel=POINT)


@pytest.mark.parametrize(
    ("name", "estimate", "lower", "upper"),
    [("sparsemse_UKdat", 11_409, 9_982, 13_182), ("sparsemse_UKdat_5", 11_304, 9_889, 13_063)],
)
def test_it_reproduces_the_uk_aic_stepwise_estimate(
    reference: Load, name: str, estimate: float, lower: float, upper: float
) -> None:
    profile = profile_interval(stepwise_aic(reference(name), threshold=0.05))
    assert profile.estimate == pytest.approx(estimate, rel=POINT)
    assert (profile.lower, profile.upper) == pytest.approx((lower, upper), rel=LIMIT)


def test_it_flags_the_unbounded_new_orleans_aic_stepwise_model(reference: Load) -> None:
    histories = reference("sparsemse_NewOrl")
    profile = profile_interval(stepwise_aic(histories, threshold=0.05))
    result = loglinear_estimate(histories, "aic")
    assert profile.estimate == pytest.approx(3_367, rel=POINT)
    assert profile.upper is None
    assert result.upper is None and not result.sound


@pytest.mark.parametrize(
    ("name", "estimate"),
    [
        ("sparsemse_NewOrl", 1_183.7),
        ("sparsemse_NewOrl_5", 1_034.2),
        ("sparsemse_UKdat_5", 11_313),
        ("sparsemse_Ned", 111_100),
    ],
)
def test_it_reproduces_the_sparsemse_stepwise_estimate(
    reference: Load, name: str, estimate: float
) -> None:
    fit = stepwise_sparse(reference(name), threshold=0.02)
    tolerance = POINT if name != "sparsemse_Ned" else 0.5e-3  # published as 111.1k
    assert fit.estimate == pytest.approx(estimate, rel=tolerance)


def test_it_selects_the_de_interaction_for_new_orleans(reference: Load) -> None:
    fit = stepwise_sparse(reference("sparsemse_NewOrl"))
    assert fit.terms == ((3, 4),)


def test_it_reproduces_the_uk5_sparsemse_interval(reference: Load) -> None:
    fit = stepwise_sparse(reference("sparsemse_UKdat_5"))
    assert log_normal_interval(fit) == pytest.approx((9_884, 13_027), rel=LIMIT)


def test_it_reproduces_the_new_orleans_main_effects_estimate(reference: Load) -> None:
    fit = fit_loglinear(reference("sparsemse_NewOrl"))
    assert fit.estimate == pytest.approx(996.7, rel=POINT)
    # SparseMSE's interval for this model is the log-normal one (README calls it "profile").
    assert log_normal_interval(fit) == pytest.approx((644.9, 1_617.5), rel=LIMIT)


@pytest.mark.parametrize(
    ("name", "rule", "estimate", "tolerance"),
    [
        ("sparsemse_Ned", "main", 52_800, 1e-3),
        ("sparsemse_Ned", "aic", 60_300, 1e-3),
        ("sparsemse_Ned_5", "aic", 146_000, 5e-3),
    ],
)
def test_it_reproduces_the_netherlands_stress_figures(
    reference: Load, name: str, rule: str, estimate: float, tolerance: float
) -> None:
    histories = reference(name)
    fit = fit_loglinear(histories) if rule == "main" else stepwise_aic(histories, 0.05)
    # the README gives these to three significant figures
    assert fit.estimate == pytest.approx(estimate, rel=tolerance)


@pytest.mark.slow
def test_it_reproduces_the_uk5_best_bic_two_way_model(reference: Load) -> None:
    best, fits = best_model(reference("sparsemse_UKdat_5"), max_order=2)
    assert len(fits) == 1024
    assert rcapture_name(best.terms) == "[12,13,23,25,34]"
    assert best.estimate == pytest.approx(22_991.3, rel=POINT)


def test_it_enumerates_rcaptures_113_hierarchical_models_for_four_lists() -> None:
    assert sum(1 for _ in hierarchical_models(4, max_order=3)) == 113


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(0, 1), (0, 2), (1, 2)], ModelCheck.NOT_IDENTIFIABLE),
        ([(0, 1)], ModelCheck.NOT_FINITE),
        ([(0, 2), (1, 2)], ModelCheck.SOUND),
    ],
)
def test_it_matches_sparsemse_checks_on_the_artificial_example(
    reference: Load, pairs: list[tuple[int, int]], expected: ModelCheck
) -> None:
    assert check_model(reference("sparsemse_Artificial_3"), pairs) == expected


def test_its_glm_agrees_with_statsmodels(reference: Load) -> None:
    fit = fit_loglinear(reference("sparsemse_UKdat_5"), [(0, 1), (1, 3)])
    statsmodels_fit = sm.GLM(fit.cell_counts, fit.design, family=sm.families.Poisson()).fit()
    assert np.allclose(fit.coefficients, statsmodels_fit.params, rtol=1e-6, atol=1e-8)
    assert fit.deviance == pytest.approx(statsmodels_fit.deviance, rel=1e-8)
