"""Generate a project's evidence packet or public report from a fresh snapshot.

The CLI's ``report evidence|public --project`` and the web pages call these, so both make the
same files the same way: the snapshots app writes (and audits) a snapshot into a temporary
folder, the reporting core builds from it, and :func:`do_record_report_run` stores the run and
audits the output's SHA-256 beside the snapshot's. The temporary snapshot is deleted on the
way out; what it counted is named by its hash, which the same data always gives again.

The public report takes the project's k, the latest approval *of this snapshot* (an approval
of other data does not carry over: the report is then a draft, and says so) and the history
of the project's published releases, whose cells stay as published.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testimonio.analysis import Snapshot, load_snapshot
from testimonio.config import load_config
from testimonio.reporting import (
    SIGNED_PDF,
    Approval,
    PacketResult,
    PacketSettings,
    PublicResult,
    build_evidence_packet,
    build_public_report,
    configured_signing_key,
    sign_pdf,
)
from testimonio.web.audit.log import Actor
from testimonio.web.cases.models import Project
from testimonio.web.publishing.actions import do_record_report_run, require_capability
from testimonio.web.publishing.models import PublicationApproval, ReportKind, ReportRun
from testimonio.web.snapshots.actions import do_write_snapshot

__all__ = [
    "EvidenceOutcome",
    "PublicOutcome",
    "files_digest",
    "generate_evidence",
    "generate_public",
    "published_history",
]


@dataclass(frozen=True)
class EvidenceOutcome:
    result: PacketResult
    snapshot_sha256: str
    run: ReportRun
    #: The signed copy of the packet's PDF, when a signing key is configured.
    signed_pdf: Path | None = None


@dataclass(frozen=True)
class PublicOutcome:
    result: PublicResult
    snapshot_sha256: str
    run: ReportRun
    approval: PublicationApproval | None
    #: The project has an approval, but of other data or another k: this report is a draft.
    approval_outdated: bool


@contextmanager
def _fresh_snapshot(project: Project, actor: Actor) -> Iterator[tuple[Snapshot, Path]]:
    with tempfile.TemporaryDirectory(prefix="testimonio-report-") as folder:
        path = Path(folder) / "snapshot.duckdb"
        do_write_snapshot(project, path, actor)
        snapshot = load_snapshot(path)
        try:
            yield snapshot, Path(folder)
        finally:
            snapshot.connection.close()


def files_digest(paths: dict[str, Path]) -> str:
    """SHA-256 over each file's name and SHA-256, in name order (the report's fingerprint)."""
    lines = []
    for name in sorted(paths):
        lines.append(f"{name}:{hashlib.sha256(paths[name].read_bytes()).hexdigest()}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def generate_evidence(
    project: Project, out_dir: Path, actor: Actor, settings: PacketSettings | None = None
) -> EvidenceOutcome:
    """Write ``project``'s evidence packet into ``out_dir``; refused (and audited) for a role
    that may not publish."""
    require_capability(actor, project, "publish", "generate_reports")
    settings = settings or PacketSettings(title=project.name)
    key = configured_signing_key(load_config())
    with _fresh_snapshot(project, actor) as (snapshot, _):
        result = build_evidence_packet(snapshot, out_dir, settings)
        sha = snapshot.sha256
    signed, extra = None, {}
    if key is not None:  # after Bates stamping, on a copy: the packet stays reproducible
        signed = out_dir / SIGNED_PDF
        reason = f"Evidence packet {result.sha256} of snapshot {sha}"
        extra["signed_pdf_sha256"] = sign_pdf(result.paths["pdf"], signed, key, reason)
    run = do_record_report_run(
        project, actor, ReportKind.EVIDENCE, snapshot_sha256=sha, output_sha256=result.sha256,
        settings=settings.described(), extra=extra,
    )  # fmt: skip
    return EvidenceOutcome(result, sha, run, signed)


def published_history(project: Project) -> list[dict[str, Any]]:
    """The releases.json entries of the project's published releases (a re-run of a release
    replaces it), oldest first."""
    entries: dict[str, dict[str, Any]] = {}
    runs = ReportRun.objects.filter(
        project=project, kind=ReportKind.PUBLIC, approval__isnull=False
    ).order_by("created_at", "pk")
    for run in runs:
        if run.release.get("id"):
            entries[str(run.release["id"])] = dict(run.release)
    return list(entries.values())


def _approval_of(project: Project, snapshot_sha256: str) -> tuple[PublicationApproval | None, bool]:
    threshold = int(project.publication_threshold)
    approvals = PublicationApproval.objects.filter(project=project)
    applying = approvals.filter(snapshot_sha256=snapshot_sha256, threshold=threshold).first()
    return applying, applying is None and approvals.exists()


def generate_public(project: Project, out_dir: Path, actor: Actor) -> PublicOutcome:
    """Write ``project``'s public report into ``out_dir`` (published if this snapshot is
    approved, else a draft); refused (and audited) for a role that may not publish."""
    require_capability(actor, project, "publish", "generate_reports")
    threshold = int(project.publication_threshold)
    with _fresh_snapshot(project, actor) as (snapshot, folder):
        sha = snapshot.sha256
        approval, outdated = _approval_of(project, sha)
        history = folder / "releases.json"
        text = json.dumps({"releases": published_history(project)}, indent=2, sort_keys=True)
        history.write_text(text + "\n", encoding="utf-8")
        result = build_public_report(
            snapshot, out_dir, threshold,
            approval=Approval(approval.approved_on) if approval else None, history=history,
        )  # fmt: skip
        releases = json.loads(history.read_text(encoding="utf-8"))["releases"]
    entry = next(item for item in releases if item.get("id") == result.release_id)
    run = do_record_report_run(
        project, actor, ReportKind.PUBLIC, snapshot_sha256=sha,
        output_sha256=files_digest(result.paths), settings={"threshold": threshold},
        release=entry, approval=approval,
    )  # fmt: skip
    return PublicOutcome(result, sha, run, approval, outdated)
