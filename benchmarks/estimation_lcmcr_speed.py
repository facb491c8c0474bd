"""Microseconds per Gibbs sweep of the LCMCR sampler, against the C++ reference (~21 us/sweep
for 4 lists and K=10). Run: ``python benchmarks/estimation_lcmcr_speed.py``."""

from __future__ import annotations

import os
import time
from pathlib import Path

from testimonio.estimation import CaptureHistories, LcmcrSettings, read_capture_histories
from testimonio.estimation.lcmcr import WARM_UP, run_chain

REFERENCE = Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "mse"
CPP_MICROSECONDS = {5: 14.0, 10: 21.0, 20: 35.0}


def microseconds_per_sweep(histories: CaptureHistories, classes: int, sweeps: int) -> float:
    settings = LcmcrSettings(classes=classes, burn_in=sweeps, samples=100, thinning=100)
    started = time.perf_counter()
    run_chain(histories, settings, seed=1)
    elapsed = time.perf_counter() - started
    return elapsed / (settings.iterations_per_chain + WARM_UP) * 1e6


def main() -> None:
    histories = read_capture_histories(REFERENCE / "rcapture_lesbian.csv")
    assert isinstance(histories, CaptureHistories)
    run_chain(histories, LcmcrSettings(burn_in=10, samples=1, thinning=1), seed=0)  # compile
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| lists | patterns | K | ours (us/sweep, best of 3) | C++ LCMCR (us/sweep) |")
    print("|---|---|---|---|---|")
    for classes, reference in CPP_MICROSECONDS.items():
        timings = [microseconds_per_sweep(histories, classes, 200_000) for _ in range(3)]
        print(
            f"| {histories.n_lists} | {len(histories.counts)} | {classes} | "
            f"{min(timings):.1f} | {reference:.0f} |"
        )


if __name__ == "__main__":
    main()
