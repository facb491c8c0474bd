"""What reading a declaration gives back: derived text, numbered paragraphs, provenance.

A :class:`Declaration` is a *derived* copy: the original bytes stay sealed by the caller with
their SHA-256; this holds the text read from them and the name and version of the extractor,
so a court can be told how the text was obtained. It holds identity (the declarant's words), so
it must be sealed at rest like any narrative, and never logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Declaration", "Paragraph"]


@dataclass(frozen=True)
class Paragraph:
    """One numbered paragraph: its number as the declaration writes it, and its text.

    ``number`` is the digits as written ("7", "07"); ``marker`` is the whole mark ("7.",
    "¶ 7", "(7)", "7)") so a citation can quote the document exactly.
    """

    number: str
    marker: str
    text: str


@dataclass
class Declaration:
    """A declaration read from one file."""

    filename: str
    #: "pdf" (text layer), "pdf-scanned" (OCR), "image", "docx" or "txt"
    format: str
    #: e.g. "pypdf", "tesseract spa+eng psm 6", "python-docx", "text"
    extractor: str
    extractor_version: str
    #: the whole derived text, pages joined, before splitting into paragraphs
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    #: unnumbered text before the first paragraph (caption, title) and after the last
    #: (attestation, signature, translator's certificate)
    preamble: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    #: ISO 639-1 code of the declaration's language, and the detector's probability
    language: str = ""
    language_probability: float = 0.0
    pages: int = 1
    #: 1-based numbers of the pages that were read by OCR
    ocr_pages: tuple[int, ...] = ()
    #: problems worth a person's look that did not stop reading (never identity values)
    warnings: list[str] = field(default_factory=list)

    @property
    def numbered(self) -> bool:
        """False when no numbered paragraph was found: the document cannot be cited by ¶."""
        return bool(self.paragraphs)

    def paragraph(self, number: str) -> Paragraph:
        """The paragraph written with ``number``; KeyError when there is none."""
        for paragraph in self.paragraphs:
            if paragraph.number == number:
                return paragraph
        raise KeyError(number)
