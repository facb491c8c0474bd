"""Every generation puts the output's SHA-256 (and the snapshot's) into the audit chain, so
`audit verify` covers which files were made from which data: change the hash recorded and
the chain names the event."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from testimonio.cli.main import cli
from testimonio.web.audit.log import verify_chain
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.publishing.models import ReportKind, ReportRun
from tests.reporting.test_signing import PASSPHRASE, _certificate, _validate
from tests.web.audit.test_chain import drop_append_only_triggers
from tests.web.snapshots.world import ImportedWorld

#: The packet's commonality model on a small world may separate perfectly; statsmodels says so
#: with a warning (the packet reports the figure as it is), which the suite would raise.
SEPARATION = "ignore:Perfect separation:Warning"
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.filterwarnings(SEPARATION)]


def test_the_cli_packet_hash_is_in_the_audit_chain_and_verified(
    world: ImportedWorld, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, cert_path, _, cert = _certificate(tmp_path)  # and the PDF signed, since a key is set
    monkeypatch.setenv("TESTIMONIO_PDF_SIGNING_KEY", str(key))
    monkeypatch.setenv("TESTIMONIO_PDF_SIGNING_CERT", str(cert_path))
    monkeypatch.setenv("TESTIMONIO_PDF_SIGNING_PASSPHRASE", PASSPHRASE.decode())
    out = tmp_path / "packet"
    result = CliRunner().invoke(
        cli, ["report", "evidence", "--project", project.slug, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    signed = out / "evidence-packet.signed.pdf"
    assert f"signed pdf: {signed}" in result.output
    assert _validate(signed, cert).bottom_line
    manifest = json.loads((out / "packet-manifest.json").read_text(encoding="utf-8"))
    event = AuditEvent.objects.get(action="publishing.evidence.generate")
    snapshot_event = AuditEvent.objects.get(action="analysis.snapshot.write")
    assert event.details["packet_sha256"] in result.output
    assert event.details["snapshot_sha256"] == snapshot_event.details["snapshot_sha256"]
    assert event.details["snapshot_sha256"] in json.dumps(manifest)
    run = ReportRun.objects.get(kind=ReportKind.EVIDENCE)
    assert run.output_sha256 == event.details["packet_sha256"] and run.created_by is None
    assert event.details["signed_pdf_sha256"] == hashlib.sha256(signed.read_bytes()).hexdigest()
    assert "evidence-packet.signed.pdf" not in json.dumps(manifest)  # the packet is unchanged
    assert verify_chain() == []

    drop_append_only_triggers()
    forged = {**event.details, "packet_sha256": "0" * 64}
    AuditEvent.objects.filter(pk=event.pk).update(details=forged)
    problems = verify_chain()
    assert [(p.sequence, p.reason) for p in problems] == [
        (event.sequence, "was altered after it was written")
    ]
