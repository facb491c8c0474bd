"""Report speed: the evidence packet and the public report for a demo-size simulated world.

    .venv/bin/python benchmarks/report_speed.py [--people N] [--seed S]

Draws a world, writes its snapshot, then times ``build_evidence_packet`` (DOCX, Bates-stamped
PDF, XLSX) and ``build_public_report`` (suppression and audit of both table families, HTML
in two languages, two PDFs, CSV, feed) separately, with the load average. Goal (issue 17):
both together under 60 s for the demo world. Results in docs/benchmarks/reporting.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from testimonio.analysis import load_snapshot, write_snapshot
from testimonio.analysis.from_simulation import ReportingStyle, snapshot_tables
from testimonio.reporting import build_evidence_packet, build_public_report
from testimonio.simulation import default_config, draw_world


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=int, default=5)
    arguments = parser.parse_args()
    world = draw_world(default_config(people=arguments.people, seed=arguments.seed))
    style = ReportingStyle(month_share=0.2, year_share=0.05, named_plaintiffs=2, seed=3)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snapshot.duckdb"
        write_snapshot(snapshot_tables(world, style), path, project="benchmark")
        snapshot = load_snapshot(path)
        persons = snapshot.manifest["tables"]["persons"]["rows"]
        start = time.perf_counter()
        packet = build_evidence_packet(snapshot, Path(folder) / "packet")
        packet_seconds = time.perf_counter() - start
        start = time.perf_counter()
        public = build_public_report(snapshot, Path(folder) / "public", arguments.threshold)
        public_seconds = time.perf_counter() - start
    pages = packet.bates[0].last - packet.bates[0].first + 1
    print(
        "| people drawn | persons documented | packet pages | packet s | public s "
        "| together s | cells suppressed | load (1 min) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    suppressed = public.suppressed["primary"] + public.suppressed["complementary"]
    print(
        f"| {arguments.people:,} | {persons:,} | {pages} | {packet_seconds:.1f} | "
        f"{public_seconds:.1f} | {packet_seconds + public_seconds:.1f} | {suppressed} | "
        f"{os.getloadavg()[0]:.2f} |"
    )


if __name__ == "__main__":
    main()
