"""Report speed: the evidence packet and the public report for a simulated world's snapshot.

    .venv/bin/python benchmarks/report_speed.py [--people N] [--seed S] [--exhibits E]

Draws a world, writes its snapshot with its first ``--exhibits`` declarations as coded,
double-coded exhibits (``testimonio.analysis.simulated_declarations``: the exhibit index, each
finding's citations and coder agreement are in the packet), then times
``build_evidence_packet`` (DOCX, Bates-stamped PDF, XLSX) and ``build_public_report``
(suppression and audit of both table families, HTML in two languages, two PDFs, CSV, feed)
separately, wall clock and CPU time of this process (the CPU time says what the work costs
whatever else the machine runs), with the load average. Goal (issue 17): both together under
60 s for the demo world (5,000 people, seed 2017); the 100,000-person figure is recorded beside
it. Results in docs/benchmarks/reporting.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from testimonio.analysis import load_snapshot, write_snapshot
from testimonio.analysis.from_simulation import ReportingStyle, snapshot_tables
from testimonio.analysis.simulated_declarations import simulated_declarations
from testimonio.reporting import build_evidence_packet, build_public_report
from testimonio.simulation import default_config, draw_world


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=int, default=5)
    parser.add_argument(
        "--exhibits",
        type=int,
        default=300,
        help="declarations filed (300: the simulator's default number of declaration documents)",
    )
    arguments = parser.parse_args()
    world = draw_world(default_config(people=arguments.people, seed=arguments.seed))
    style = ReportingStyle(month_share=0.2, year_share=0.05, named_plaintiffs=2, seed=3)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snapshot.duckdb"
        tables = snapshot_tables(world, style)
        tables.update(simulated_declarations(tables, arguments.exhibits, seed=style.seed))
        write_snapshot(tables, path, project="benchmark")
        snapshot = load_snapshot(path)
        persons = snapshot.manifest["tables"]["persons"]["rows"]
        exhibits = snapshot.manifest["tables"].get("declarations", {}).get("rows", 0)
        start, cpu = time.perf_counter(), time.process_time()
        packet = build_evidence_packet(snapshot, Path(folder) / "packet")
        packet_seconds, packet_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        public = build_public_report(snapshot, Path(folder) / "public", arguments.threshold)
        public_seconds, public_cpu = time.perf_counter() - start, time.process_time() - cpu
    pages = packet.bates[0].last - packet.bates[0].first + 1
    print(
        "| people drawn | persons documented | exhibits | packet pages | packet s | public s "
        "| together s | packet CPU s | public CPU s | cells suppressed | load (1 min) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    suppressed = public.suppressed["primary"] + public.suppressed["complementary"]
    print(
        f"| {arguments.people:,} | {persons:,} | {exhibits} | {pages} | {packet_seconds:.1f} | "
        f"{public_seconds:.1f} | {packet_seconds + public_seconds:.1f} | {packet_cpu:.1f} | "
        f"{public_cpu:.1f} | {suppressed} | "
        f"{os.getloadavg()[0]:.2f} |"
    )


if __name__ == "__main__":
    main()
