"""The population estimate an evidence packet states: one recorded in the project, of its data.

A packet made in the web app (or by ``report evidence --project`` without ``--estimate``)
takes the project's recorded estimate runs (``testimonio estimate --project``, the demo), but
only those made from the project's *current* capture histories: a run's ``input_hash`` is
the SHA-256 of the pattern counts it read, so an estimate made before the lists or the
linkage changed no longer matches and is left out, with the reason said. Of the matching
runs the latest of each method counts; the method recorded first of those is the packet's
estimate and the others are its sensitivity panel, as ``estimate --method all`` orders them.
"""

from __future__ import annotations

from dataclasses import dataclass

from testimonio.errors import TestimonioError
from testimonio.estimation import CaptureHistories
from testimonio.reporting import EstimateInput
from testimonio.web.cases.models import Project
from testimonio.web.linking.histories import project_capture_histories
from testimonio.web.linking.models import EstimateRun

__all__ = ["ASSUMPTIONS", "PacketEstimate", "packet_estimate", "recorded_estimate_runs"]

#: What multiple systems estimation rests on (docs/methods.md), stated beside every estimate.
ASSUMPTIONS = (
    "a closed population over the period the lists cover",
    "dependence between lists and differences in how easily people are found are captured by "
    "the model; the sensitivity panel shows how much that matters",
)


@dataclass(frozen=True)
class PacketEstimate:
    """The estimate for a packet, or ``None`` with the reason (shown to whoever asked)."""

    estimate: EstimateInput | None
    note: str
    runs: tuple[int, ...] = ()  # the EstimateRun ids it was read from


def recorded_estimate_runs(project: Project) -> list[EstimateRun]:
    """The project's pooled (unstratified) estimate runs, newest first."""
    runs = EstimateRun.objects.filter(project=project, stratum="")
    return list(runs.order_by("-created_at", "-pk"))


def packet_estimate(project: Project) -> PacketEstimate:
    """The recorded estimate of the project's current data, or why there is none."""
    runs = recorded_estimate_runs(project)
    if not runs:
        return PacketEstimate(None, "no population estimate is recorded in the project "
                              "(testimonio estimate --project records one)")  # fmt: skip
    try:
        histories, digest = project_capture_histories(project)
    except TestimonioError as problem:
        return PacketEstimate(None, f"the project's capture histories cannot be read: {problem}")
    current = [run for run in runs if run.input_hash == digest]
    if not current:
        return PacketEstimate(None, "the recorded estimates were made from other data (the "
                              "lists or the linkage changed since); estimate again to include "
                              "one")  # fmt: skip
    latest: dict[str, EstimateRun] = {}
    for run in current:  # newest first: the first of each method is its latest
        latest.setdefault(run.method, run)
    ordered = sorted(latest.values(), key=lambda run: run.pk)
    usable = [run for run in ordered if _bounded(run) and run.result.get("sound", True)]
    if not usable:
        return PacketEstimate(None, "no recorded estimate of the current data has a bounded "
                              "interval from a sound method")  # fmt: skip
    first = usable[0]
    result = first.result
    observed = histories.observed if isinstance(histories, CaptureHistories) else None
    estimate = EstimateInput(
        method=str(result["method"]),
        observed=int(result.get("observed", observed or 0)),
        estimate=float(result["estimate"]),
        lower=float(result["lower"]),
        upper=float(result["upper"]),
        level=float(result.get("level", 0.95)),
        sensitivity=tuple(_row(run) for run in ordered if run is not first),
        assumptions=ASSUMPTIONS,
        diagnostics=tuple(str(text) for text in result.get("warnings", ())),
    )
    note = f"estimate run {first.pk} ({first.method}, recorded {first.created_at:%Y-%m-%d})"
    return PacketEstimate(estimate, note, tuple(run.pk for run in ordered))


def _bounded(run: EstimateRun) -> bool:
    return all(run.result.get(key) is not None for key in ("estimate", "lower", "upper"))


def _row(run: EstimateRun) -> dict[str, object]:
    result = run.result
    return {"method": run.method, "estimate": result.get("estimate"),
            "lower": result.get("lower"), "upper": result.get("upper")}  # fmt: skip
