"""Reporting: what the team files in court and publishes (plain Python, no Django).

:mod:`.suppression` decides which cells of the published tables must be hidden;
:mod:`.packet` builds the evidence packet (DOCX, Bates-numbered PDF, XLSX);
:mod:`.public` builds the public report (HTML in English and Spanish, PDF, tidy CSV, Atom).

Names are loaded on first use (:mod:`testimonio.lazy_names`): the packet and the report load
WeasyPrint, Altair and python-docx, which the suppression alone (and the web's exports) must
not pay for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from testimonio.lazy_names import lazy_names

if TYPE_CHECKING:
    from testimonio.reporting.packet import (
        EstimateInput,
        Exhibit,
        PacketResult,
        PacketSettings,
        build_evidence_packet,
    )
    from testimonio.reporting.public import Approval, PublicResult, build_public_report
    from testimonio.reporting.signing import (
        SIGNED_PDF,
        SigningKey,
        configured_signing_key,
        sign_pdf,
    )

__all__ = [
    "Approval",
    "EstimateInput",
    "Exhibit",
    "PacketResult",
    "PacketSettings",
    "PublicResult",
    "SIGNED_PDF",
    "SigningKey",
    "build_evidence_packet",
    "build_public_report",
    "configured_signing_key",
    "sign_pdf",
]

_HOMES = {
    **{name: "testimonio.reporting.packet" for name in (
        "EstimateInput", "Exhibit", "PacketResult", "PacketSettings", "build_evidence_packet"
    )},
    **{name: "testimonio.reporting.public" for name in (
        "Approval", "PublicResult", "build_public_report"
    )},
    **{name: "testimonio.reporting.signing" for name in (
        "SIGNED_PDF", "SigningKey", "configured_signing_key", "sign_pdf"
    )},
}  # fmt: skip

__getattr__, __dir__ = lazy_names(__name__, _HOMES)
