"""Declarations: sworn documents read into their own numbered paragraphs, and redacted.

Plain Python (no Django): the web and the command line call :func:`read_declaration` with a
document's bytes and :func:`redact_declaration` / :func:`redact_pdf` for a copy to file.
Everything returned holds the declarant's words and must be sealed at rest by the caller.
"""

from __future__ import annotations

from testimonio.declarations.accuracy import word_accuracy
from testimonio.declarations.model import Declaration, Paragraph
from testimonio.declarations.reading import read_declaration

__all__ = [
    "Declaration",
    "Paragraph",
    "read_declaration",
    "word_accuracy",
]
