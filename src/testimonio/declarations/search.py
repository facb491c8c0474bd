"""Find words in declarations' paragraphs without any plaintext index.

Paragraph text is sealed at rest, and a full-text index (SQLite FTS, PostgreSQL tsvector, a
keyed token index) would keep the words, or a deterministic image of them, beside it: an
index of "separación" or of a declarant's village is a list of who said it. So search reads
the paragraphs it may, opens each in memory and matches there; nothing about the words is
stored. That costs one decryption per paragraph (docs/benchmarks/declarations.md has the
figures: thousands of declarations take seconds), which a team searching its own
declarations can afford.

Matching is forgiving the way people type: case and accents are ignored ("separacion" finds
"separación"), every word must be in the paragraph (in any order), and a phrase in double
quotes must appear as written (after the same folding). Words match at the start of a word
of the paragraph, so "amenaz" finds "amenazaron" and "amenazas" but "naza" finds nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from testimonio.errors import InputError

__all__ = ["ParagraphQuery", "fold", "search_paragraphs"]

Key = TypeVar("Key")

#: A query longer than this is refused (it is typed into a box, and it bounds the work).
MAX_QUERY = 200
_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case without accents or other marks: the form both sides are compared in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class ParagraphQuery:
    """What to look for: words that must all appear, and phrases that must appear whole."""

    words: tuple[str, ...]
    phrases: tuple[str, ...]

    def __repr__(self) -> str:  # the words may be a name: never in a log or a traceback
        return f"ParagraphQuery(<{len(self.words)} words, {len(self.phrases)} phrases>)"

    @classmethod
    def parse(cls, text: str) -> ParagraphQuery:
        """Read what a person typed; an empty or over-long query is an input error."""
        if len(text) > MAX_QUERY:
            raise InputError(f"the search is longer than {MAX_QUERY} characters", column="q")
        folded = fold(text)
        phrases = tuple(
            " ".join(_WORD.findall(phrase))
            for phrase in _PHRASE.findall(folded)
            if _WORD.search(phrase)
        )
        words = tuple(dict.fromkeys(_WORD.findall(_PHRASE.sub(" ", folded))))
        if not words and not phrases:
            raise InputError("type at least one word to search for", column="q")
        return cls(words, phrases)

    def matches(self, text: str) -> bool:
        """Whether a paragraph's text holds every word (as a word start) and every phrase."""
        tokens = _WORD.findall(fold(text))
        if not all(any(token.startswith(word) for token in tokens) for word in self.words):
            return False
        joined = f" {' '.join(tokens)} "
        return all(f" {phrase} " in joined for phrase in self.phrases)


def search_paragraphs(
    paragraphs: Iterable[tuple[Key, str]], query: ParagraphQuery
) -> Iterator[Key]:
    """The keys of the paragraphs whose text matches, in the order given."""
    for key, text in paragraphs:
        if query.matches(text):
            yield key
