"""One estimation run as a user asks for it: a method by name, on one stratum or on each.

The command line asks (and the web will) for "the log-linear estimate", "LCMCR" or "all methods
side by side", for one table or for each stratum (the total over strata is
:func:`testimonio.estimation.strata.totals_over_strata`); what that means is decided here, once, so
that every adapter will give the same numbers for the same request. Adapters keep only reading
their input, showing progress and printing or storing the results.
"""

from __future__ import annotations

from collections.abc import Callable

from testimonio.estimation.capture_histories import CaptureHistories
from testimonio.estimation.dga import dga_estimate
from testimonio.estimation.lcmcr import LcmcrSettings, classes_sensitivity, lcmcr_estimate
from testimonio.estimation.results import EstimateResult
from testimonio.estimation.sensitivity import loglinear_estimate, sensitivity_panel

__all__ = ["METHODS", "estimate_by_method", "method_steps"]

#: The methods a user can ask for by name; ``all`` is the sensitivity panel (every method).
METHODS = ("loglinear", "lcmcr", "dga", "all")


def estimate_by_method(
    histories: CaptureHistories,
    method: str,
    *,
    settings: LcmcrSettings,
    level: float,
    seed: int,
    bootstrap: int,
    progress: Callable[[int], None] | None = None,
    check_classes: int | None = None,
) -> list[EstimateResult]:
    """The results of ``method`` (one of :data:`METHODS`): one result, or the whole panel.

    ``progress`` is called with the steps done (bootstrap replicates, sampler sweeps); there
    are :func:`method_steps` of them in all. With ``check_classes``, the LCMCR result is run
    again at that K and warns (unsound) when its median moves by more than 10%
    (:func:`~testimonio.estimation.lcmcr.classes_sensitivity`).
    """
    results = _by_method(histories, method, settings, level, seed, bootstrap, progress)
    if check_classes is None:
        return results
    return [
        classes_sensitivity(histories, settings, result, check_classes, progress=progress)
        if result.method == "lcmcr"
        else result
        for result in results
    ]


def _by_method(
    histories: CaptureHistories,
    method: str,
    settings: LcmcrSettings,
    level: float,
    seed: int,
    bootstrap: int,
    progress: Callable[[int], None] | None,
) -> list[EstimateResult]:
    if method == "loglinear":
        return [
            loglinear_estimate(
                histories, level=level, bootstrap=bootstrap, seed=seed, progress=progress
            )
        ]
    if method == "lcmcr":
        return [lcmcr_estimate(histories, settings, level=level, progress=progress)]
    if method == "dga":
        return [dga_estimate(histories, level=level)]
    if method != "all":
        raise ValueError(f"unknown method {method!r}: one of {', '.join(METHODS)}")
    return sensitivity_panel(
        histories,
        level=level,
        seed=seed,
        lcmcr_settings=settings,
        bootstrap=bootstrap,
        progress=progress,
    )


def method_steps(
    method: str, settings: LcmcrSettings, bootstrap: int, *, check_classes: int | None = None
) -> int:
    """How many progress steps :func:`estimate_by_method` reports (0: it reports none)."""
    sampler = settings.iterations_per_chain * len(settings.seeds)
    if check_classes is not None:
        sampler *= 2  # the same chains again at the second K
    return {"loglinear": bootstrap, "lcmcr": sampler, "dga": 0}.get(method, sampler + bootstrap)
