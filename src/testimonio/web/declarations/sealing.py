"""Seal and open a declaration's derived text: its paragraphs and the rest (preamble, closing).

Both are sealed under the document's own data key, bound to the document and the paragraph
number, so a sealed paragraph cannot be moved to another paragraph or document unnoticed, and
erasing the person (which destroys the document's key) shreds them with the original. Opening
here does not audit: :mod:`testimonio.web.declarations.queries` reveals with an audit event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from testimonio.crypto import Key, SealContext, open_value, seal_value
from testimonio.declarations import Declaration as ReadDeclaration
from testimonio.web.evidence.models import Document, DocumentParagraph
from testimonio.web.evidence.store import document_key


@dataclass(frozen=True)
class DerivedText:
    """What is sealed besides the paragraphs: enough to rebuild the read declaration."""

    preamble: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    markers: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return "DerivedText(<sealed>)"


def paragraph_context(document: Document, number: int) -> SealContext:
    return SealContext("evidence.documentparagraph", "text", f"{document.uuid}:{number}")


def text_context(document: Document) -> SealContext:
    return SealContext("declarations.declaration", "text", str(document.uuid))


def seal_paragraphs(document: Document, read: ReadDeclaration, key: Key) -> list[DocumentParagraph]:
    """Unsaved sealed paragraph rows of ``document``, numbered as the declaration numbers them."""
    return [
        DocumentParagraph(
            document=document,
            number=int(paragraph.number),
            text=seal_value(
                paragraph.text, paragraph_context(document, int(paragraph.number)), key
            ),
        )
        for paragraph in read.paragraphs
    ]


def seal_derived_text(document: Document, read: ReadDeclaration, key: Key) -> bytes:
    derived = {
        "preamble": read.preamble,
        "closing": read.closing,
        "markers": {p.number: p.marker for p in read.paragraphs},
        "warnings": read.warnings,
    }
    return seal_value(json.dumps(derived, ensure_ascii=False), text_context(document), key)


def open_paragraph(paragraph: DocumentParagraph, key: Key | None = None) -> str:
    document = paragraph.document
    key = key or document_key(document)
    return open_value(bytes(paragraph.text), paragraph_context(document, paragraph.number), key)


def open_derived_text(document: Document, sealed: bytes, key: Key | None = None) -> DerivedText:
    key = key or document_key(document)
    values = json.loads(open_value(bytes(sealed), text_context(document), key))
    return DerivedText(**values)
