"""The evidence packet: one content model rendered as DOCX, Bates-numbered PDF and XLSX.

``build_evidence_packet(snapshot, out_dir, settings)`` is the entry point; :mod:`.content`
holds the model, :mod:`.sections` and :mod:`.appendix` build it from the analysis core, and
:mod:`.docx`, :mod:`.html`, :mod:`.xlsx` and :mod:`.bates` render it.
"""

from testimonio.reporting.packet.bates import BatesRange, bates_label, stamp_bates
from testimonio.reporting.packet.build import (
    PacketResult,
    PacketSettings,
    build_evidence_packet,
    packet_content,
)
from testimonio.reporting.packet.content import (
    Chart,
    EstimateInput,
    Exhibit,
    PacketContent,
    Section,
    TableBlock,
)

__all__ = [
    "BatesRange",
    "Chart",
    "EstimateInput",
    "Exhibit",
    "PacketContent",
    "PacketResult",
    "PacketSettings",
    "Section",
    "TableBlock",
    "bates_label",
    "build_evidence_packet",
    "packet_content",
    "stamp_bates",
]
