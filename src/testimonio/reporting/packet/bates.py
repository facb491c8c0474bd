"""Bates numbers: every page of the packet and its exhibits stamped ``PREFIX-000001``, in order.

No maintained Bates library exists; the standard recipe is a one-page overlay merged onto
each page with pypdf's ``merge_page``. The overlay is drawn with fpdf2 (already the
declarations' PDF writer) with a fixed creation date, so the stamps are reproducible.
ReportLab, the usual choice, is not used: it pulls in charset-normalizer, whose presence
changes how ``ingest`` guesses a CSV's encoding. Numbers continue from one file to the next, so
the packet and its exhibits form one numbered production.

What must always hold: numbers are consecutive across all files, and a file's pages are
stamped in their order; a PDF that cannot be read is an InputError naming it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from testimonio.errors import InputError

__all__ = ["BatesRange", "bates_label", "check_prefix", "stamp_bates"]

DIGITS = 6
#: The overlays' creation date: fixed, as nothing in a stamp depends on when it was drawn.
STAMP_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
PREFIX_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,29}")


@dataclass(frozen=True)
class BatesRange:
    """The numbers a file received: ``first`` to ``last`` inclusive."""

    path: Path
    first: int
    last: int
    prefix: str

    @property
    def label(self) -> str:
        return f"{bates_label(self.prefix, self.first)} to {bates_label(self.prefix, self.last)}"


def check_prefix(prefix: str) -> str:
    """Capital letters, digits, ``-`` and ``_`` (what courts' e-filing systems accept)."""
    if not PREFIX_PATTERN.fullmatch(prefix):
        raise InputError(
            f"the Bates prefix {prefix!r} must be 1-30 capital letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return prefix


def bates_label(prefix: str, number: int) -> str:
    return f"{prefix}-{number:0{DIGITS}d}"


def _overlay(right: float, bottom: float, top: float, label: str) -> PdfReader:
    """One page as large as the stamped one, its label at the bottom right corner."""
    page = FPDF(unit="pt", format=(right, top))
    page.set_creation_date(STAMP_DATE)
    page.set_auto_page_break(False)
    page.set_margin(0)
    page.add_page()
    page.set_font("helvetica", style="B", size=9)
    width = page.get_string_width(label)
    page.text(right - 28 - width, top - bottom - 16, label)
    return PdfReader(io.BytesIO(bytes(page.output())))


def _read(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
        _ = len(reader.pages)
    except (PdfReadError, OSError, ValueError):
        raise InputError("this exhibit is not a readable PDF", file=str(path)) from None
    return reader


def stamp_bates(
    sources: Sequence[Path], targets: Sequence[Path], prefix: str, start: int = 1
) -> list[BatesRange]:
    """Stamp each source PDF into its target; numbering runs on from file to file."""
    check_prefix(prefix)
    if start < 1:
        raise InputError("the first Bates number must be 1 or more")
    ranges = []
    number = start
    for source, target in zip(sources, targets, strict=True):
        writer = PdfWriter(clone_from=_read(source))
        first = number
        for page in writer.pages:
            box = page.mediabox
            label = bates_label(prefix, number)
            overlay = _overlay(float(box.right), float(box.bottom), float(box.top), label)
            page.merge_page(overlay.pages[0])
            number += 1
        writer.add_metadata({"/Producer": "Testimonio (pypdf)"})
        with target.open("wb") as handle:
            writer.write(handle)
        ranges.append(BatesRange(target, first, number - 1, prefix))
    return ranges
