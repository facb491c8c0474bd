"""Coverage study: how often each method's 95% interval contains the true total N.

Simulated populations with known N and 4 lists, three scenarios: independent lists, two
positively dependent lists, heterogeneous capture (two latent groups). Small by default (a few
minutes); ``--replicates 200`` for a bigger study.
Run: ``python benchmarks/estimation_coverage.py``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from testimonio.estimation import (
    CaptureHistories,
    LcmcrSettings,
    dga_estimate,
    lcmcr_estimate,
    loglinear_estimate,
)
from testimonio.estimation.capture_histories import _aggregate

TRUE_TOTAL = 2_000
LISTS = 4


def simulate(scenario: str, rng: np.random.Generator) -> CaptureHistories:
    """One population of ``TRUE_TOTAL`` people and who each list documented."""
    if scenario == "independent":
        rates = np.full((TRUE_TOTAL, LISTS), 0.2)
        captures = rng.random(rates.shape) < rates
    elif scenario == "dependent":
        captures = rng.random((TRUE_TOTAL, LISTS)) < 0.2
        # list 2 documents most of the people list 1 documented (referrals between them)
        captures[:, 1] |= captures[:, 0] & (rng.random(TRUE_TOTAL) < 0.5)
    else:  # heterogeneous: a hard-to-reach third of the population
        hidden = rng.random(TRUE_TOTAL) < 1 / 3
        rates = np.where(hidden[:, None], 0.05, 0.35) * np.ones((1, LISTS))
        captures = rng.random(rates.shape) < rates
    patterns, counts = _aggregate(captures.astype(np.int8), np.ones(TRUE_TOTAL, dtype=np.int64))
    return CaptureHistories(tuple("ABCD"), patterns, counts)


def methods(settings: LcmcrSettings) -> dict[str, object]:
    return {
        "loglinear main effects (profile)": lambda h: loglinear_estimate(h, "main"),
        "loglinear stepwise (SparseMSE)": lambda h: loglinear_estimate(h, "stepwise"),
        "loglinear AIC stepwise (profile)": lambda h: loglinear_estimate(h, "aic"),
        "lcmcr": lambda h: lcmcr_estimate(h, settings),
        "dga": dga_estimate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    arguments = parser.parse_args()
    rng = np.random.default_rng(arguments.seed)
    settings = LcmcrSettings(classes=10, burn_in=10_000, samples=500, thinning=20, seeds=(1, 2))
    print(
        f"True N = {TRUE_TOTAL}, {LISTS} lists, {arguments.replicates} populations per scenario\n"
    )
    print("| scenario | method | coverage of 95% interval | median estimate | median width |")
    print("|---|---|---|---|---|")
    started = time.perf_counter()
    for scenario in ("independent", "dependent", "heterogeneous"):
        populations = [simulate(scenario, rng) for _ in range(arguments.replicates)]
        for name, method in methods(settings).items():
            results = [method(histories) for histories in populations]  # type: ignore[operator]
            covered = [r.lower <= TRUE_TOTAL <= (r.upper or np.inf) for r in results]
            widths = [(r.upper or np.inf) - r.lower for r in results]
            print(
                f"| {scenario} | {name} | {np.mean(covered):.0%} | "
                f"{np.median([r.estimate for r in results]):,.0f} | {np.median(widths):,.0f} |",
                flush=True,
            )
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
