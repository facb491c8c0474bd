"""The rule that keeps codings meaningful across vocabulary versions.

A coding made under version 1 must mean the same thing when version 2 is loaded: a code, once
used, keeps its definition forever. A new version may add codes, retire codes (they stay in
the old version) and improve labels, but never give an existing code a new definition.
"""

from __future__ import annotations

from collections.abc import Iterable

from testimonio.errors import VocabularyError
from testimonio.vocab.bundle import Term

__all__ = ["check_codes_keep_their_meaning"]


def check_codes_keep_their_meaning(
    earlier: Iterable[Term], proposed: Iterable[Term], *, file: str = "vocabulary.csv"
) -> None:
    """Raise VocabularyError if a proposed term redefines a code an earlier version has."""
    known = {term.code: term for term in earlier}
    for row, term in enumerate(proposed, start=2):
        before = known.get(term.code)
        if before is not None and _normalised(before.definition) != _normalised(term.definition):
            raise VocabularyError(
                f"code {term.code} already means something else in an earlier version; "
                "give the new meaning a new code",
                file=file,
                row=row,
                column="definition",
            )


def _normalised(text: str) -> str:
    return " ".join(text.split())
