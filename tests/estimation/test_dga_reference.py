"""Madigan-York model averaging reproduces dga 2.0.2 exactly (to the integer)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from testimonio.errors import EstimationError
from testimonio.estimation import CaptureHistories, dga_estimate, dga_posterior
from testimonio.estimation.dga import decomposable_graphs, negative_binomial_prior

Load = Callable[[str], CaptureHistories]


@pytest.fixture(scope="module")
def spina_bifida_posterior(reference: Load):  # noqa: ANN201
    histories = reference("madiganyork_3list_spinabifida")
    return dga_posterior(
        histories, np.arange(1, 301), delta=1.0, log_prior=negative_binomial_prior(13.14, 55.17)
    )


def test_it_enumerates_every_decomposable_graph_for_three_to_five_lists() -> None:
    assert [len(decomposable_graphs(lists)) for lists in (3, 4, 5)] == [8, 61, 822]


def test_it_gives_the_top_model_madigan_and_yorks_probability(spina_bifida_posterior) -> None:  # noqa: ANN001
    assert round(float(spina_bifida_posterior.model_probabilities.max()), 2) == 0.37


def test_it_gives_madigan_and_yorks_bayes_estimate(spina_bifida_posterior) -> None:  # noqa: ANN001
    assert round(spina_bifida_posterior.bayes_estimate()) == 731


def test_it_gives_madigan_and_yorks_modes(spina_bifida_posterior) -> None:  # noqa: ANN001
    assert (spina_bifida_posterior.top_model_mode(), spina_bifida_posterior.mode()) == (729, 728)


def test_it_reproduces_the_dga_five_list_example(reference: Load) -> None:
    posterior = dga_posterior(reference("madiganyork_5list"), np.arange(1, 301), delta=0.5)
    assert [posterior.quantile(q) for q in (0.5, 0.025, 0.975)] == [616, 588, 655]


@pytest.mark.slow
def test_it_reproduces_the_netherlands_dga_figure_with_a_90k_cap(reference: Load) -> None:
    histories = reference("sparsemse_Ned_5")
    posterior = dga_posterior(histories, np.arange(0, 90_000 - histories.observed + 1.0))
    assert round(posterior.quantile(0.5) / 100) / 10 == 47.9  # thousands, as the README gives it


def test_it_refuses_more_than_five_lists(reference: Load) -> None:
    with pytest.raises(EstimationError, match="3 to 5 lists"):
        dga_estimate(reference("sparsemse_UKdat"))


def test_it_reports_the_median_and_interval_with_its_diagnostics(reference: Load) -> None:
    result = dga_estimate(reference("modslavmse_UKdat_4"))
    assert result.lower is not None and result.upper is not None
    assert result.lower < result.estimate < result.upper
    assert 0 < result.diagnostics["top_model_probability"] <= 1
