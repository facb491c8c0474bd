"""Every change the snapshots app makes: ``do_*`` functions, one transaction, audited.

Writing a snapshot is audited as ``analysis.snapshot.write`` with the manifest's hash, the
linkage run and the row count of each table: never an identity, never the path (a file name
can say more than it should). An analysis run is stored with its provenance
(:class:`~testimonio.provenance.RunProvenance`) and audited as ``analysis.run``. Designating
a named plaintiff (attorneys and administrators; the CLI's operator) is audited as
``analysis.named_plaintiff.mark`` / ``.unmark`` with the pseudonym only; a refused attempt
as ``analysis.named_plaintiff.refused``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from testimonio.analysis import write_snapshot
from testimonio.errors import InputError, PermissionDenied
from testimonio.provenance import RunProvenance
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import may
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Person, Project
from testimonio.web.snapshots.models import AnalysisRun, NamedPlaintiff
from testimonio.web.snapshots.tables import (
    build_snapshot_tables,
    latest_linkage_run,
    vocabulary_version,
)

__all__ = [
    "do_mark_named_plaintiff",
    "do_record_analysis_run",
    "do_unmark_named_plaintiff",
    "do_write_snapshot",
]


def _row_counts(manifest: dict[str, Any]) -> dict[str, int]:
    return {name: int(table["rows"]) for name, table in manifest["tables"].items()}


def do_write_snapshot(project: Project, path: Path | str, actor: Actor) -> dict[str, Any]:
    """Write ``project``'s snapshot to ``path`` (``*.duckdb`` or a Parquet folder); return
    its manifest. The tables are read in one transaction, so they are one consistent moment."""
    with transaction.atomic():
        run = latest_linkage_run(project)
        tables = build_snapshot_tables(project, run)
        manifest = write_snapshot(
            tables,
            path,
            project=project.slug,
            vocabulary_version=vocabulary_version(project),
            linkage_run=str(run.pk) if run is not None else "",
        )
        record_event(
            actor,
            "analysis.snapshot.write",
            project,
            project_id=project.pk,
            details={
                "snapshot_sha256": manifest["snapshot_sha256"],
                "storage": manifest["storage"],
                "linkage_run": manifest["linkage_run"],
                "vocabulary_version": manifest["vocabulary_version"],
                "rows": _row_counts(manifest),
            },
        )
    return manifest


def do_record_analysis_run(
    project: Project,
    actor: Actor,
    provenance: RunProvenance,
    manifest: dict[str, Any],
    figures: int,
) -> AnalysisRun:
    """Store an analysis run (what it read, its settings and versions) and audit it."""
    with transaction.atomic():
        run = AnalysisRun.objects.create(
            project=project,
            created_by=actor if isinstance(actor, User) else None,
            input_hash=provenance.input_hash,
            settings=dict(provenance.settings),
            seed=provenance.seed,
            package_versions=dict(provenance.package_versions),
            snapshot_manifest=manifest,
            figures=figures,
        )
        record_event(
            actor,
            "analysis.run",
            run,
            project_id=project.pk,
            details={
                "snapshot_sha256": provenance.input_hash,
                "settings": dict(provenance.settings),
                "figures": figures,
            },
        )
    return run


def _require_designator(actor: Actor, project: Project) -> None:
    """Attorneys and administrators of the project; ``None`` is the instance's operator (CLI)."""
    if actor is None:
        return
    membership = None
    if actor.is_authenticated:
        membership = Membership.objects.filter(project=project, user_id=actor.pk).first()
    if membership is None or not may(membership, "designate_named_plaintiffs"):
        with transaction.atomic():
            record_event(actor, "analysis.named_plaintiff.refused", project,
                         project_id=project.pk)  # fmt: skip
        raise PermissionDenied("only attorneys and administrators designate named plaintiffs")


def do_mark_named_plaintiff(person: Person, actor: Actor) -> NamedPlaintiff:
    """Designate ``person`` a named plaintiff of their project (once; marking twice refused)."""
    project = person.project
    _require_designator(actor, project)
    with transaction.atomic():
        if NamedPlaintiff.objects.filter(person=person).exists():
            raise InputError(f"{person.pseudonym} is already a named plaintiff", column="person")
        marked = NamedPlaintiff.objects.create(
            project=project,
            person=person,
            designated_by=actor if isinstance(actor, User) else None,
        )
        record_event(actor, "analysis.named_plaintiff.mark", person, project_id=project.pk,
                     details={"person": person.pseudonym})  # fmt: skip
    return marked


def do_unmark_named_plaintiff(person: Person, actor: Actor) -> None:
    """No longer a named plaintiff (refused if the person is not one)."""
    project = person.project
    _require_designator(actor, project)
    with transaction.atomic():
        deleted, _ = NamedPlaintiff.objects.filter(person=person).delete()
        if not deleted:
            raise InputError(f"{person.pseudonym} is not a named plaintiff", column="person")
        record_event(actor, "analysis.named_plaintiff.unmark", person, project_id=project.pk,
                     details={"person": person.pseudonym})  # fmt: skip
