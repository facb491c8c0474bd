"""The choice of K, the maximum number of latent classes: HRDAG's rule, and a warning when the
estimate moves with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from testimonio.estimation import CaptureHistories, LcmcrSettings, lcmcr_estimate
from testimonio.estimation.lcmcr import classes_sensitivity, published_classes, run_chains

Load = Callable[[str], CaptureHistories]
SHORT = LcmcrSettings(classes=2, burn_in=2_000, samples=100, thinning=10, seeds=(3, 4))


@pytest.mark.parametrize(("lists", "classes"), [(3, 7), (4, 15), (5, 15), (20, 15)])
def test_k_follows_verdata_one_class_per_pattern_up_to_fifteen(lists: int, classes: int) -> None:
    assert published_classes(lists) == classes


def test_the_second_k_is_run_with_the_same_seeds_and_reported(reference: Load) -> None:
    histories = reference("rcapture_lesbian")
    result = lcmcr_estimate(histories, SHORT, workers=1)
    checked = classes_sensitivity(histories, SHORT, result, 15, workers=1)
    report = checked.diagnostics["classes_sensitivity"]
    at_fifteen = run_chains(histories, replace(SHORT, classes=15), workers=1)
    assert report["classes"] == [2, 15]
    assert report["medians"] == [result.estimate, float(np.median(at_fifteen))]
    expected = abs(report["medians"][1] - result.estimate) / result.estimate
    assert report["relative_difference"] == pytest.approx(expected)
    assert checked.estimate == result.estimate  # the answer stays the one at the first K


def test_it_warns_and_is_unsound_when_the_medians_differ_by_more_than_the_share(
    reference: Load,
) -> None:
    histories = reference("rcapture_lesbian")
    result = lcmcr_estimate(histories, SHORT, workers=1)
    strict = classes_sensitivity(histories, SHORT, result, 15, share=0.0, workers=1)
    lenient = classes_sensitivity(histories, SHORT, result, 15, share=1.0, workers=1)
    assert strict.diagnostics["classes_sensitivity"]["relative_difference"] > 0
    assert not strict.sound
    assert any("maximum number of latent classes" in w and "K=15" in w for w in strict.warnings)
    assert lenient.sound == result.sound
    assert lenient.warnings == result.warnings
