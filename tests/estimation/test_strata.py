"""The total over strata: sum of estimates, interval of the sum, and what a stratum can spoil."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from testimonio.estimation import (
    CaptureHistories,
    EstimateResult,
    capture_histories_from_frame,
    combine_strata,
    loglinear_estimate,
)


def result(observed: int, estimate: float, lower: float, upper: float | None) -> EstimateResult:
    return EstimateResult("loglinear-main", observed, estimate, lower, upper, 0.95, "main: m")


def test_the_total_is_the_sum_and_its_interval_is_relatively_narrower() -> None:
    part = result(100, 150.0, 130.0, 180.0)
    total = combine_strata({"CA": part, "TX": part})
    assert (total.observed, total.estimate) == (200, 300.0)
    assert total.lower is not None and total.upper is not None
    assert total.lower < 300.0 < total.upper
    # Two independent equal strata: the undocumented count's relative spread shrinks by ~1/sqrt 2.
    assert (total.upper - total.lower) / 100 == pytest.approx((180 - 130) / 50 / np.sqrt(2), 0.1)
    assert total.sound


def test_a_stratum_without_an_upper_limit_leaves_the_total_without_one() -> None:
    total = combine_strata(
        {"CA": result(100, 150.0, 130.0, 180.0), "NM": result(5, 40.0, 6.0, None)}
    )
    assert total.upper is None and total.lower == 136.0
    assert not total.sound
    assert any("no upper limit" in warning for warning in total.warnings)


def test_it_refuses_to_add_different_methods() -> None:
    other = EstimateResult("dga", 10, 12.0, 11.0, 14.0, 0.95, "dga")
    with pytest.raises(ValueError, match="one method"):
        combine_strata({"a": result(10, 12.0, 11.0, 14.0), "b": other})


def two_strata(rng: np.random.Generator) -> tuple[pd.DataFrame, int]:
    """Two places of 1,500 people whose three lists are independent but work unevenly there."""
    rates = {"north": (0.45, 0.1, 0.3), "south": (0.1, 0.45, 0.3)}
    frames = []
    for place, probabilities in rates.items():
        captured = rng.random((1_500, 3)) < np.array(probabilities)
        frame = pd.DataFrame(captured.astype(int), columns=["A", "B", "C"])
        frame["place"] = place
        frames.append(frame[captured.any(axis=1)])
    return pd.concat(frames, ignore_index=True), 3_000


def test_stratifying_where_lists_work_unevenly_removes_the_bias_and_covers_the_truth() -> None:
    """Lists that favour different places look negatively dependent when the places are mixed."""
    rng = np.random.default_rng(5)
    whole, summed = [], []
    for _ in range(60):
        frame, truth = two_strata(rng)
        pooled = capture_histories_from_frame(frame.drop(columns=["place"]))
        strata = capture_histories_from_frame(frame, stratify="place")
        assert isinstance(pooled, CaptureHistories) and isinstance(strata, dict)
        whole.append(loglinear_estimate(pooled, "main"))
        summed.append(combine_strata({k: loglinear_estimate(h, "main") for k, h in strata.items()}))

    def coverage(results: list[EstimateResult]) -> float:
        return float(np.mean([r.lower <= 3_000 <= r.upper for r in results]))  # type: ignore[operator]

    assert np.median([r.estimate for r in whole]) > 3_200  # mixing places inflates it
    assert np.median([r.estimate for r in summed]) == pytest.approx(3_000, rel=0.03)
    assert coverage(whole) < 0.2
    assert coverage(summed) >= 0.85


def test_a_list_absent_from_a_stratum_is_left_out_there_with_a_warning() -> None:
    frame = pd.DataFrame(
        {
            "A": [1, 0, 0, 1, 1, 0, 0, 1],
            "B": [0, 1, 0, 1, 0, 1, 0, 1],
            "C": [0, 0, 1, 0, 1, 1, 1, 0],
            "D": [0, 0, 0, 0, 0, 0, 1, 1],
            "place": ["x"] * 6 + ["y"] * 2,
        }
    )
    frame = pd.concat([frame, frame.assign(place="y")], ignore_index=True)
    strata = capture_histories_from_frame(frame, stratify="place")
    assert isinstance(strata, dict)
    assert strata["x"].list_names == ("A", "B", "C")
    assert any("left out lists that document nobody in it: D" in w for w in strata["x"].warnings)
    assert strata["y"].list_names == ("A", "B", "C", "D")
