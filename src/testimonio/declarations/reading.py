"""Read a declaration's bytes into derived text and its numbered paragraphs.

The caller keeps the original sealed with its SHA-256; this only ever returns derived text,
with the extractor's name and version. Nothing here writes to disk or logs a word of the
document. Errors name the file as the caller gave it (pass an upload's id or stored name,
not a declarant's name) and never quote the document.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from zipfile import BadZipFile

import docx
import pypdf
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree
from pypdf.errors import PyPdfError

from testimonio.declarations.docx_numbering import numbered_lines
from testimonio.declarations.formats import detect_format
from testimonio.declarations.language import detect_language
from testimonio.declarations.model import Declaration
from testimonio.declarations.ocr import (
    OCR_LANGUAGES,
    ocr_extractor_version,
    ocr_images,
    render_pdf_pages,
    split_image,
)
from testimonio.declarations.paragraphs import remove_page_furniture, split_paragraphs
from testimonio.errors import InputError

__all__ = ["read_declaration"]

#: A page with an image and fewer letters and digits than this in its text layer is a scan
#: (maybe with a stamp or a page number in its text layer) and is read by OCR instead.
MINIMUM_PAGE_CHARACTERS = 40
#: OCR that finds fewer word characters than this on a whole image found no text.
MINIMUM_IMAGE_CHARACTERS = 20
OCR_EXTRACTOR = f"tesseract {OCR_LANGUAGES} psm 6"
PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, OSError)


@dataclass
class Extracted:
    """What one reader got out of a file, before paragraphs are found."""

    format: str
    extractor: str
    extractor_version: str
    pages: list[list[str]]
    hard_breaks: bool = False
    ocr_pages: tuple[int, ...] = ()
    furniture: list[str] = field(default_factory=list)


def read_declaration(data: bytes, filename: str) -> Declaration:
    """Read a PDF, scanned PDF, image, DOCX or TXT declaration into numbered paragraphs.

    Raises InputError (naming ``filename``) for an unsupported type, an encrypted or
    corrupt PDF, a damaged DOCX or image, or an image with no text. A document without
    numbered paragraphs is returned with a warning and ``numbered`` False.
    """
    readers: dict[str, Callable[[bytes, str], Extracted]] = {
        "pdf": _read_pdf,
        "image": _read_image,
        "docx": _read_docx,
        "txt": _read_txt,
    }
    declaration = _assemble(readers[detect_format(data, filename)](data, filename), filename)
    if not declaration.numbered:
        declaration.warnings.append(
            "no numbered paragraphs (1., 1), (1) or ¶ 1) were found: it cannot be cited by ¶"
        )
    if not declaration.language:
        declaration.warnings.append("too little text to tell its language")
    return declaration


def _assemble(extracted: Extracted, filename: str) -> Declaration:
    """Find the paragraphs and the language in what a reader extracted."""
    if extracted.hard_breaks:
        lines = [line for page in extracted.pages for line in page]
        furniture = extracted.furniture
    else:
        lines, furniture = remove_page_furniture(extracted.pages)
    split = split_paragraphs(lines, hard_breaks=extracted.hard_breaks)
    spoken = " ".join(p.text for p in split.paragraphs) or "\n".join(lines)
    language, probability = detect_language(spoken)
    return Declaration(
        filename=filename,
        format=extracted.format,
        extractor=extracted.extractor,
        extractor_version=extracted.extractor_version,
        text="\n\n".join("\n".join(page) for page in extracted.pages),
        paragraphs=split.paragraphs,
        preamble=[*furniture, *split.preamble],
        closing=split.closing,
        language=language,
        language_probability=probability,
        pages=len(extracted.pages),
        ocr_pages=extracted.ocr_pages,
    )


def _open_pdf(data: bytes, filename: str) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                "the PDF is password-protected: ask for an unprotected copy (the password "
                "is never stored here)",
                file=filename,
            )
        if not reader.pages:
            raise InputError("the PDF has no pages", file=filename)
        return reader
    except PDF_ERRORS as error:
        raise InputError("the PDF is damaged and cannot be read", file=filename) from error


def _read_pdf(data: bytes, filename: str) -> Extracted:
    reader = _open_pdf(data, filename)
    try:
        texts = [page.extract_text() or "" for page in reader.pages]
        scanned = [index for index, page in enumerate(reader.pages) if _is_scan(page, texts[index])]
    except PDF_ERRORS as error:
        raise InputError("the PDF is damaged and its text cannot be read", file=filename) from error
    if scanned:
        _ocr_pages(data, filename, scanned, texts)
    extractor, extractor_version = "pypdf", f"pypdf {version('pypdf')}"
    if len(scanned) == len(texts):
        extractor, extractor_version = OCR_EXTRACTOR, ocr_extractor_version()
    elif scanned:
        extractor = f"pypdf + {OCR_EXTRACTOR}"
        extractor_version = f"{extractor_version}; {ocr_extractor_version()}"
    return Extracted(
        format="pdf-scanned" if len(scanned) == len(texts) else "pdf",
        extractor=extractor,
        extractor_version=extractor_version,
        pages=[text.splitlines() for text in texts],
        ocr_pages=tuple(index + 1 for index in scanned),
    )


def _is_scan(page: pypdf.PageObject, text: str) -> bool:
    """Almost no text layer and an image on the page (a short last page is not a scan)."""
    return _characters(text) < MINIMUM_PAGE_CHARACTERS and len(page.images) > 0


def _ocr_pages(data: bytes, filename: str, scanned: list[int], texts: list[str]) -> None:
    """Replace the scanned pages' texts by what OCR reads on them."""
    try:
        images = render_pdf_pages(data, scanned)
    except Exception as error:  # PDFium raises its own PdfiumError and others
        raise InputError("the PDF's pages cannot be rendered for OCR", file=filename) from error
    for index, text in zip(scanned, ocr_images(images, filename), strict=True):
        texts[index] = text
    if sum(_characters(text) for text in texts) < MINIMUM_IMAGE_CHARACTERS:
        raise InputError("no text could be read from the scanned PDF", file=filename)


def _read_image(data: bytes, filename: str) -> Extracted:
    texts = ocr_images(split_image(data, filename), filename)
    if sum(_characters(text) for text in texts) < MINIMUM_IMAGE_CHARACTERS:
        raise InputError("no text could be read from the image", file=filename)
    return Extracted(
        format="image",
        extractor=OCR_EXTRACTOR,
        extractor_version=ocr_extractor_version(),
        pages=[text.splitlines() for text in texts],
        ocr_pages=tuple(range(1, len(texts) + 1)),
    )


def _read_docx(data: bytes, filename: str) -> Extracted:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise InputError("the DOCX is damaged and cannot be read", file=filename) from error
    furniture: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            furniture += [p.text.strip() for p in part.paragraphs if p.text.strip()]
    lines = numbered_lines(document)
    return Extracted(
        format="docx",
        extractor="python-docx",
        extractor_version=f"python-docx {version('python-docx')}",
        pages=[lines],
        hard_breaks=True,
        furniture=list(dict.fromkeys(furniture)),
    )


def _read_txt(data: bytes, filename: str) -> Extracted:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Notepad on Windows in Spanish still writes cp1252 by default.
        text = data.decode("cp1252", "replace")
    return Extracted(
        format="txt",
        extractor="text",
        extractor_version="utf-8 or cp1252",
        pages=[page.splitlines() for page in text.split("\f")],
    )


def _characters(text: str) -> int:
    return sum(char.isalnum() for char in text)
