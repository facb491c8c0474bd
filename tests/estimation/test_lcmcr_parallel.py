"""LCMCR chains run in parallel processes give the same draws as chains run one after another."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from testimonio.estimation import CaptureHistories, LcmcrSettings, lcmcr_estimate
from testimonio.estimation.lcmcr import run_chain, run_chains

Load = Callable[[str], CaptureHistories]
SHORT = LcmcrSettings(classes=5, burn_in=2_000, samples=50, thinning=10, seeds=(3, 4, 5))


def test_parallel_chains_are_the_sequential_chains_seed_by_seed(reference: Load) -> None:
    histories = reference("rcapture_lesbian")
    parallel = run_chains(histories, SHORT, workers=2)
    sequential = run_chains(histories, SHORT, workers=1)
    assert parallel.shape == (3, 50)
    np.testing.assert_array_equal(parallel, sequential)
    np.testing.assert_array_equal(parallel[1], run_chain(histories, SHORT, seed=4))
    assert not np.array_equal(parallel[0], parallel[1])  # the seeds do give different chains


def test_parallel_chains_report_every_sweep_to_the_progress_callback(reference: Load) -> None:
    histories = reference("rcapture_lesbian")
    reported: list[int] = []
    result = lcmcr_estimate(histories, SHORT, progress=reported.append, workers=2)
    assert sum(reported) == SHORT.iterations_per_chain * len(SHORT.seeds)
    sequential = lcmcr_estimate(histories, SHORT, workers=1)
    assert result.estimate == sequential.estimate
    assert result.diagnostics["trace"] == sequential.diagnostics["trace"]
