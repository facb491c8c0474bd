"""Reporting: what the team files in court and publishes (plain Python, no Django).

:mod:`.suppression` decides which cells of the published tables must be hidden;
:mod:`.packet` builds the evidence packet (DOCX, Bates-numbered PDF, XLSX);
:mod:`.public` builds the public report (HTML in English and Spanish, PDF, tidy CSV, Atom).
"""

from testimonio.reporting.packet import (
    EstimateInput,
    Exhibit,
    PacketResult,
    PacketSettings,
    build_evidence_packet,
)
from testimonio.reporting.public import Approval, PublicResult, build_public_report

__all__ = [
    "Approval",
    "EstimateInput",
    "Exhibit",
    "PacketResult",
    "PacketSettings",
    "PublicResult",
    "build_evidence_packet",
    "build_public_report",
]
