"""Record an estimation run in a project, with what is needed to repeat it.

The estimate itself is computed by :mod:`testimonio.estimation` (no Django); this keeps the
inputs' hash, method, settings, seed, result and package versions (STYLE.md rule 9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from testimonio.estimation import EstimateResult
from testimonio.provenance import package_versions
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Project
from testimonio.web.linking.models import EstimateRun

PACKAGES = ("testimonio", "numpy", "scipy", "numba")


def do_record_estimate_runs(
    project: Project,
    results: Mapping[str, Sequence[EstimateResult]],
    actor: Actor,
    *,
    input_hash: str,
    settings: Mapping[str, Any],
    seed: int | None,
) -> list[EstimateRun]:
    """One EstimateRun per method and stratum (``""`` when not stratified)."""
    versions = package_versions(PACKAGES)
    with transaction.atomic():
        runs = [
            EstimateRun.objects.create(
                project=project,
                created_by=actor if isinstance(actor, User) else None,
                method=result.method,
                stratum=stratum,
                input_hash=input_hash,
                settings=dict(settings),
                seed=seed,
                result=result.to_dict(),
                package_versions=versions,
            )
            for stratum, panel in results.items()
            for result in panel
        ]
        for run in runs:
            record_event(
                actor,
                "analyses.estimate.record",
                run,
                project_id=project.pk,
                details={
                    "method": run.method,
                    "stratum": run.stratum,
                    "input": input_hash,
                    "estimate": run.result.get("estimate"),
                },
            )
    return runs
