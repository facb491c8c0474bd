"""A method asked for by name runs as its own function would, and strata add up per method."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from testimonio.estimation import (
    METHODS,
    CaptureHistories,
    EstimateResult,
    LcmcrSettings,
    combine_strata,
    dga_estimate,
    estimate_by_method,
    loglinear_estimate,
    method_steps,
    totals_over_strata,
)

Reference = Callable[[str], CaptureHistories]
SHORT = LcmcrSettings(classes=2, burn_in=1_000, samples=20, thinning=5, seeds=(7, 8))


def run(histories: CaptureHistories, method: str, bootstrap: int = 0) -> list[EstimateResult]:
    return estimate_by_method(
        histories, method, settings=SHORT, level=0.9, seed=11, bootstrap=bootstrap
    )


def result(method: str, observed: int, estimate: float) -> EstimateResult:
    return EstimateResult(method, observed, estimate, estimate * 0.9, estimate * 1.2, 0.95, "m")


def test_the_log_linear_method_gives_what_its_own_function_gives(reference: Reference) -> None:
    histories = reference("rcapture_hare")
    [by_name] = run(histories, "loglinear")
    assert by_name == loglinear_estimate(histories, level=0.9, seed=11)


def test_model_averaging_gives_what_its_own_function_gives(reference: Reference) -> None:
    histories = reference("madiganyork_3list_spinabifida")
    assert run(histories, "dga") == [dga_estimate(histories, level=0.9)]


def test_all_methods_run_side_by_side_each_once(reference: Reference) -> None:
    panel = run(reference("madiganyork_3list_spinabifida"), "all")
    methods = [result.method for result in panel]
    assert len(methods) == len(set(methods)) > 3
    assert any(method.startswith("lcmcr") for method in methods)
    assert "dga" in methods


def test_an_unknown_method_is_refused_rather_than_run_as_another(reference: Reference) -> None:
    with pytest.raises(ValueError, match="unknown method 'chao'"):
        run(reference("rcapture_hare"), "chao")


@pytest.mark.parametrize(("method", "bootstrap"), [("loglinear", 8), ("lcmcr", 0), ("all", 5)])
def test_progress_reports_exactly_the_steps_announced(
    reference: Reference, method: str, bootstrap: int
) -> None:
    done: list[int] = []
    estimate_by_method(
        reference("madiganyork_3list_spinabifida"),
        method,
        settings=SHORT,
        level=0.95,
        seed=3,
        bootstrap=bootstrap,
        progress=done.append,
    )
    assert sum(done) == method_steps(method, SHORT, bootstrap) > 0


def test_model_averaging_and_a_model_based_interval_announce_no_steps() -> None:
    assert method_steps("dga", SHORT, 100) == 0
    assert method_steps("loglinear", SHORT, 0) == 0
    assert set(METHODS) == {"loglinear", "lcmcr", "dga", "all"}


def test_each_method_is_totalled_over_the_strata_in_the_first_strata_order() -> None:
    outcomes = {
        "north": [result("loglinear-main", 10, 20.0), result("dga", 10, 22.0)],
        "south": [result("dga", 5, 8.0), result("loglinear-main", 5, 7.0)],
    }
    totals = totals_over_strata(outcomes)
    assert [total.method for total in totals] == ["loglinear-main", "dga"]
    assert totals[0] == combine_strata(
        {"north": outcomes["north"][0], "south": outcomes["south"][1]}
    )
    assert (totals[1].observed, totals[1].estimate) == (15, 30.0)


def test_a_method_missing_from_a_stratum_has_no_total() -> None:
    outcomes = {
        "north": [result("loglinear-main", 10, 20.0), result("dga", 10, 22.0)],
        "six lists": [result("loglinear-main", 5, 7.0)],
    }
    assert [total.method for total in totals_over_strata(outcomes)] == ["loglinear-main"]
