"""HTML to PDF with WeasyPrint, reproducibly: the same HTML gives the same bytes.

WeasyPrint takes its dates from the page's ``dcterms.created``/``dcterms.modified`` meta
elements (callers set them from the snapshot, never the clock) and its file identifier from
``pdf_identifier``: here a hash of the HTML, so two runs cannot differ.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import weasyprint

__all__ = ["html_to_pdf"]

# WeasyPrint logs every CSS property it ignores at WARNING; the reports use none on purpose.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def html_to_pdf(html: str, target: Path) -> None:
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    weasyprint.HTML(string=html, base_url=None).write_pdf(target, pdf_identifier=identifier)
