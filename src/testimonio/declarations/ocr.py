"""Optical character recognition of page images with tesseract, pages in parallel.

Tesseract runs as a subprocess (Debian's tesseract-ocr with its Spanish data, installed by
the Makefile) with ``-l spa+eng`` (English alone loses every accent) and ``--psm 6`` (the
default page segmentation drops paragraph numbers). Images go in on stdin and text comes
out on stdout: no page image or text of a declaration is written to disk. Each page is one
single-threaded tesseract (``OMP_THREAD_LIMIT=1``) and a thread pool keeps one per core
busy, which is faster than one multi-threaded tesseract at a time.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib.metadata import version

import pypdfium2
from PIL import Image, ImageSequence, UnidentifiedImageError

from testimonio.errors import ConfigurationError, InputError

__all__ = [
    "OCR_DPI",
    "OCR_LANGUAGES",
    "ocr_extractor_version",
    "ocr_images",
    "render_pdf_pages",
    "split_image",
    "tidy_ocr_text",
]

OCR_LANGUAGES = "spa+eng"
PAGE_SEGMENTATION_MODE = "6"
OCR_DPI = 300
#: A page that takes longer than this is a broken image, not a slow one.
PAGE_TIMEOUT_SECONDS = 180
#: Tesseract reads a lone capital I in Helvetica-like fonts as a vertical bar; declarations
#: have no vertical bars, so a bar standing alone as a word is the pronoun.
LONE_BAR = re.compile(r"(?<!\S)\|(?=[\s,.;:']|$)", re.MULTILINE)
#: ...and a paragraph mark followed by that pronoun ("1. I, Roberto Doe, declare") as "1.1,".
MARK_THEN_I = re.compile(r"^(\d{1,3})\.[1l|](?=,|\s+[a-z])", re.MULTILINE)


@cache
def _tesseract() -> str:
    path = shutil.which("tesseract")
    if path is None:
        raise ConfigurationError(
            "tesseract is not installed, so scanned declarations cannot be read: run "
            "`make system-packages` (Debian packages tesseract-ocr and tesseract-ocr-spa)"
        )
    return path


@cache
def ocr_extractor_version() -> str:
    """E.g. "tesseract 5.3.0; pypdfium2 5.15.2": recorded with every OCR'd declaration."""
    result = subprocess.run(  # noqa: S603 -- fixed arguments, no shell
        [_tesseract(), "--version"], capture_output=True, text=True, check=True
    )
    first = (result.stdout or result.stderr).splitlines()[0].strip()
    return f"{first}; pypdfium2 {version('pypdfium2')}"


def ocr_images(images: Sequence[bytes], filename: str) -> list[str]:
    """The text of each page image, in order, read in parallel on every core."""
    workers = max(1, min(len(images), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda image: _ocr_page(image, filename), images))


def _ocr_page(image: bytes, filename: str) -> str:
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [_tesseract(), "stdin", "stdout", "-l", OCR_LANGUAGES, "--psm"]
    try:
        result = subprocess.run(  # noqa: S603 -- fixed arguments, no shell
            [*command, PAGE_SEGMENTATION_MODE],
            input=image,
            capture_output=True,
            env=environment,
            timeout=PAGE_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise InputError("a page image could not be read in time", file=filename) from error
    if result.returncode != 0:
        # tesseract's stderr names its own problem (a missing language pack, a bad image),
        # never the page's text.
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            f"OCR failed on a page ({reason[-1] if reason else 'no reason given'})",
            file=filename,
        )
    return tidy_ocr_text(result.stdout.decode("utf-8", "replace"))


def tidy_ocr_text(text: str) -> str:
    """Undo tesseract's two known misreadings of the pronoun "I" in declarations."""
    return MARK_THEN_I.sub(r"\1. I", LONE_BAR.sub("I", text))


def render_pdf_pages(data: bytes, pages: Sequence[int], dpi: int = OCR_DPI) -> list[bytes]:
    """PNG images (greyscale) of the given 0-based pages, rendered in memory.

    PDFium is not thread-safe, so pages are rendered one after another here and only the
    OCR runs in parallel (rendering is about a tenth of a second a page).
    """
    document = pypdfium2.PdfDocument(data)
    try:
        return [
            _png(document[index].render(scale=dpi / 72, grayscale=True).to_pil()) for index in pages
        ]
    finally:
        document.close()


def split_image(data: bytes, filename: str) -> list[bytes]:
    """One PNG per page of an image (a TIFF may hold many); InputError when it is damaged."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return [_png(frame.convert("L")) for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InputError("the image is damaged or cannot be opened", file=filename) from error


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
