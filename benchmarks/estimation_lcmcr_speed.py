"""Microseconds per Gibbs sweep of the LCMCR sampler, against R LCMCR's C++; and end to end.

Run: ``python benchmarks/estimation_lcmcr_speed.py [--repeats 5] [--r-library DIR]``.
``--end-to-end`` instead times ``testimonio estimate --method lcmcr`` as a user runs it, on the
4-list reference table with the reference settings (K=5, burn-in 100,000, 1,000 draws thinned by
100), first with an empty numba cache (the first call after installing) and then warm, with two
chains and with the default four (parallel on the machine's cores). With
``--r-library`` (a library holding R LCMCR, e.g. built from source as in
tests/estimation/data/LCMCR_R_RUNS.md) R's ``Update()`` is timed right after ours on the same
data, so that both see the same machine load. The machine is shared: report the load average
with any figure, and compare only runs made back to back.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testimonio.estimation import CaptureHistories, LcmcrSettings, read_capture_histories
from testimonio.estimation.lcmcr import WARM_UP, run_chain

DATA = Path(__file__).resolve().parents[1] / "tests" / "reference" / "mse"
DATA_FILE = DATA / "rcapture_lesbian.csv"
CLASSES = (5, 10, 20)
SWEEPS = 200_000

R_TIMING = """
suppressMessages(library(LCMCR, lib.loc = "{library}"))
tab <- read.csv("{data}", check.names = FALSE)
lists <- setdiff(names(tab), "count")
rows <- rep(seq_len(nrow(tab)), tab$count)
df <- as.data.frame(lapply(tab[rows, lists], function(x) factor(x, levels = c(0, 1))))
for (K in c({classes})) {{
  s <- lcmCR(captures = df, K = K, a_alpha = 0.25, b_alpha = 0.25, seed = 1, verbose = FALSE)
  for (r in 1:{repeats}) {{
    t <- system.time(s$Update({sweeps}, FALSE))
    cat(sprintf("%d %.4f %.4f\\n", K, t[["elapsed"]], t[["user.self"]] + t[["sys.self"]]))
  }}
}}
"""


def time_ours(histories: CaptureHistories, classes: int) -> tuple[float, float]:
    """Wall and CPU microseconds per sweep of one chain (warm-up included in the count)."""
    settings = LcmcrSettings(classes=classes, burn_in=SWEEPS, samples=100, thinning=100)
    wall, cpu = time.perf_counter(), time.process_time()
    run_chain(histories, settings, seed=1)
    sweeps = settings.iterations_per_chain + WARM_UP
    return (
        (time.perf_counter() - wall) / sweeps * 1e6,
        (time.process_time() - cpu) / sweeps * 1e6,
    )


def time_r(library: Path, repeats: int) -> dict[int, list[tuple[float, float]]]:
    """Wall and CPU microseconds per sweep of R's ``Update()``, by K."""
    script = R_TIMING.format(
        library=library,
        data=DATA_FILE,
        classes=", ".join(map(str, CLASSES)),
        repeats=repeats,
        sweeps=SWEEPS,
    )
    output = subprocess.run(
        ["Rscript", "-e", script], check=True, capture_output=True, text=True
    ).stdout
    timings: dict[int, list[tuple[float, float]]] = {k: [] for k in CLASSES}
    for line in output.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0].isdigit():
            timings[int(fields[0])].append(
                (float(fields[1]) / SWEEPS * 1e6, float(fields[2]) / SWEEPS * 1e6)
            )
    return timings


def summary(timings: list[tuple[float, float]]) -> str:
    walls = [wall for wall, _ in timings]
    cpus = [cpu for _, cpu in timings]
    return f"{statistics.median(walls):.1f} (min {min(walls):.1f}) | {statistics.median(cpus):.1f}"


def time_command(chains: int, cache: Path) -> float:
    """Wall seconds of one ``testimonio estimate --method lcmcr`` process, reference settings."""
    command = [
        *(str(Path(sys.executable).parent / "testimonio"), "estimate", str(DATA_FILE)),
        *("--method", "lcmcr", "--classes", "5", "--iterations", "100000"),
        *("--chains", str(chains), "--json"),
    ]
    start = time.perf_counter()
    subprocess.run(
        command, check=True, capture_output=True, env={**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    )
    return time.perf_counter() - start


def end_to_end(repeats: int) -> None:
    """Cold (empty numba cache) then warm calls of the CLI, for two and four chains."""
    print(f"data: {DATA_FILE.name}; {os.cpu_count()} cores")
    print("| chains | cache | seconds, median (min) | load average |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as cache:
        for chains in (2, 4):
            load = os.getloadavg()[0]
            if chains == 2:
                print(f"| 2 | cold | {time_command(chains, Path(cache)):.1f} | {load:.1f} |")
            walls = [time_command(chains, Path(cache)) for _ in range(repeats)]
            print(
                f"| {chains} | warm | {statistics.median(walls):.1f} (min {min(walls):.1f}) "
                f"| {load:.1f}-{os.getloadavg()[0]:.1f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--r-library", type=Path, help="R library directory holding LCMCR")
    parser.add_argument("--end-to-end", action="store_true", help="time the CLI, cold and warm")
    args = parser.parse_args()
    if args.end_to_end:
        end_to_end(args.repeats)
        return
    histories = read_capture_histories(DATA_FILE)
    assert isinstance(histories, CaptureHistories)
    run_chain(histories, LcmcrSettings(burn_in=10, samples=1, thinning=1), seed=0)  # compile
    print(f"data: {DATA_FILE.name}, {histories.n_lists} lists, {len(histories.counts)} patterns")
    print(f"load average before ours: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    ours = {k: [time_ours(histories, k) for _ in range(args.repeats)] for k in CLASSES}
    theirs: dict[int, list[tuple[float, float]]] = {}
    if args.r_library is not None:
        print(f"load average before R:    {os.getloadavg()[0]:.1f}")
        theirs = time_r(args.r_library, args.repeats)
    print(f"load average at the end:  {os.getloadavg()[0]:.1f}\n")
    print(f"µs per sweep, {SWEEPS:,} sweeps, median (min) of {args.repeats}; CPU µs per sweep\n")
    print("| K | ours, wall (min) | ours, CPU | R's C++, wall (min) | R's C++, CPU |")
    print("|---|---|---|---|---|")
    for k in CLASSES:
        r_cells = summary(theirs[k]) if theirs.get(k) else "– | –"
        print(f"| {k} | {summary(ours[k])} | {r_cells} |")


if __name__ == "__main__":
    main()
