"""Multiple systems estimation: how many people in total, documented or not.

Plain Python (no Django, no CLI): capture histories in, :class:`EstimateResult` out. Methods are
ports of the reference implementations whose published figures the tests reproduce: Rcapture and
SparseMSE log-linear models with their model-selection rules, the LCMCR latent class sampler and
dga's Madigan-York model averaging. :func:`sensitivity_panel` runs them all side by side;
:func:`estimate_by_method` runs the one a user names, and :func:`totals_over_strata` adds strata
up, for the CLI and the web alike.
"""

from testimonio.estimation.bootstrap import BootstrapInterval, bootstrap_interval
from testimonio.estimation.capture_histories import (
    CaptureHistories,
    capture_histories_from_clusters,
    capture_histories_from_frame,
    read_capture_histories,
)
from testimonio.estimation.dga import dga_estimate, dga_posterior
from testimonio.estimation.intervals import log_normal_interval, profile_interval
from testimonio.estimation.lcmcr import (
    LcmcrSettings,
    classes_sensitivity,
    classes_to_check,
    lcmcr_estimate,
    published_classes,
)
from testimonio.estimation.loglinear import LoglinearFit, fit_loglinear
from testimonio.estimation.results import EstimateResult
from testimonio.estimation.runs import METHODS, estimate_by_method, method_steps
from testimonio.estimation.selection import best_model, stepwise_aic, stepwise_sparse
from testimonio.estimation.sensitivity import loglinear_estimate, sensitivity_panel
from testimonio.estimation.sparse_checks import ModelCheck, check_model
from testimonio.estimation.strata import combine_strata, totals_over_strata

__all__ = [
    "BootstrapInterval",
    "CaptureHistories",
    "EstimateResult",
    "LcmcrSettings",
    "LoglinearFit",
    "METHODS",
    "ModelCheck",
    "best_model",
    "bootstrap_interval",
    "capture_histories_from_clusters",
    "capture_histories_from_frame",
    "check_model",
    "classes_sensitivity",
    "classes_to_check",
    "combine_strata",
    "dga_estimate",
    "dga_posterior",
    "estimate_by_method",
    "fit_loglinear",
    "lcmcr_estimate",
    "log_normal_interval",
    "loglinear_estimate",
    "method_steps",
    "profile_interval",
    "published_classes",
    "read_capture_histories",
    "sensitivity_panel",
    "stepwise_aic",
    "stepwise_sparse",
    "totals_over_strata",
]
