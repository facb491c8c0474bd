"""A redacted copy of a declaration for filing: a new PDF made from the redacted paragraphs.

The copy is *re-rendered*, not painted over: the original PDF's text layer, metadata,
attachments and earlier revisions are never copied, so nothing removed can be recovered
from it. The paragraph numbers are kept as the declaration writes them, so "¶ 7" cites the
same words in the sealed original and the filed copy. Before it is returned, the new PDF's
own text is extracted and searched for every identity term: a copy that still holds one is
refused (:class:`RedactionIncomplete`), never returned.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pypdf
from fpdf import FPDF

from testimonio.declarations.identity import Identity, fold
from testimonio.declarations.model import Declaration
from testimonio.declarations.reading import read_declaration
from testimonio.declarations.redaction import (
    RedactedDeclaration,
    RedactionEntry,
    redact_declaration,
)
from testimonio.errors import TestimonioError

__all__ = [
    "RedactedPdf",
    "RedactionIncomplete",
    "redact_pdf",
    "redacted_copy",
    "render_declaration_pdf",
]

#: Debian's fonts-dejavu-core (installed by the Makefile): draws every Latin, Greek and
#: Cyrillic letter. Without it the PDF core font draws Latin-1 only and others become "?".
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
#: A fixed date: the copy says nothing about when or where it was made.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)


class RedactionIncomplete(TestimonioError):
    """The redacted copy still holds an identity value; it was not written."""


@dataclass
class RedactedPdf:
    """The redacted PDF's bytes and the log of what was taken out (kinds and counts only)."""

    pdf: bytes
    log: list[RedactionEntry] = field(default_factory=list)
    declaration: Declaration | None = None


def redact_pdf(data: bytes, filename: str, identity: Identity) -> RedactedPdf:
    """Read a declaration (any supported format), redact it and render it as a new PDF."""
    return redacted_copy(redact_declaration(read_declaration(data, filename), identity))


def redacted_copy(redacted: RedactedDeclaration) -> RedactedPdf:
    """Render an already redacted declaration and check the result holds no identity."""
    pdf = render_declaration_pdf(redacted.declaration)
    _check(pdf, redacted)
    return RedactedPdf(pdf, redacted.log, redacted.declaration)


def render_declaration_pdf(declaration: Declaration) -> bytes:
    """A plain Letter-size PDF: preamble centred, numbered paragraphs, closing."""
    pdf = FPDF(format="Letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(auto=True, margin=20)
    regular = _font(pdf)
    pdf.add_page()
    pdf.set_font(*regular, size=10)
    for line in declaration.preamble:
        pdf.multi_cell(0, 5, _drawable(line, regular), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(*regular, size=11)
    for paragraph in declaration.paragraphs:
        text = f"{paragraph.marker} {paragraph.text}"
        pdf.multi_cell(0, 6, _drawable(text, regular), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font(*regular, size=11)
    for line in declaration.closing:
        pdf.multi_cell(0, 6, _drawable(line, regular), align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _font(pdf: FPDF) -> tuple[str, str]:
    if UNICODE_FONT.exists():
        pdf.add_font("DejaVu", "", str(UNICODE_FONT))
        return ("DejaVu", "")
    return ("Helvetica", "")


def _drawable(text: str, font: tuple[str, str]) -> str:
    if font[0] == "DejaVu":
        return text
    return text.encode("latin-1", "replace").decode("latin-1")


def _check(pdf: bytes, redacted: RedactedDeclaration) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    folded = " ".join(fold(" ".join(page.extract_text() or "" for page in reader.pages)).split())
    digits = re.sub(r"\D", "", folded)
    for term in redacted.terms:
        if any(re.search(check, digits if term.digits else folded) for check in term.check):
            raise RedactionIncomplete(
                f"{redacted.declaration.filename}: the redacted copy still holds a "
                f"{term.kind}; it was not written"
            )
