"""Time and peak memory of `generate_world` at 100,000 and 1,000,000 people.

Each size runs in its own subprocess so that peak resident memory (ru_maxrss) is that run's
alone. Prints a Markdown table; docs/benchmarks/simulation.md holds the measured one.

    .venv/bin/python benchmarks/simulation_scale.py [--sizes 100000 1000000] [--out /tmp/sim]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from testimonio.simulation.config import default_config
from testimonio.simulation.draw import draw_world
from testimonio.simulation.world import generate_world

people, out = int(sys.argv[1]), Path(sys.argv[2])
config = default_config(people=people, seed=1)
started = time.perf_counter()
draw_world(config)
drawn = time.perf_counter() - started
started = time.perf_counter()
summary = generate_world(config, out)
total = time.perf_counter() - started
size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
print(json.dumps({
    "people": people, "draw_seconds": drawn, "total_seconds": total,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "records": sum(source.records for source in summary.sources),
    "ever_turned_away": summary.ever_turned_away, "encounters": summary.encounters,
    "output_mb": size / 1e6,
}))
"""


def measure(people: int, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(people), str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    measured: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=None)
    arguments = parser.parse_args()
    print("| people | draw in memory (s) | whole world on disk (s) | peak RSS (MB) | encounters "
          "| ever turned away | records | output (MB) |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for people in arguments.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            out = (arguments.out or Path(scratch)) / f"world_{people}"
            row = measure(people, out)
        print(
            f"| {people:,} | {row['draw_seconds']:.1f} | {row['total_seconds']:.1f} "
            f"| {row['peak_mb']:,.0f} | {row['encounters']:,} | {row['ever_turned_away']:,} "
            f"| {row['records']:,} | {row['output_mb']:,.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
