"""Guess which code a source's wording means.

"amenazas" -> TAC.THREAT, "Tijuana / San Ysidro" -> 2504-SYS, "H" -> male.

Guesses feed a mapping *proposal* that a person reviews; they are never applied silently.
Matching is by words: accents, case and punctuation removed, filler words ("told", "le dijeron")
dropped, and words equal when they share their first four letters ("pushed" ~ "pushing",
"threatened" ~ "threats", "deportacion" ~ "deportation"). Exact matches on a code or label
win; otherwise the candidate sharing the largest part of the shorter wording's words, if it
shares at least half.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from testimonio.vocab.bundle import Bundle

__all__ = ["Candidate", "best_match", "candidates_for", "normalise"]

FILLER = frozenset(
    [
        "a",
        "al",
        "and",
        "at",
        "by",
        "de",
        "del",
        "el",
        "en",
        "for",
        "is",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "of",
        "on",
        "or",
        "se",
        "su",
        "sus",
        "that",
        "the",
        "to",
        "told",
        "w",
        "with",
        "y",
        "que",
        "dijeron",
        "dijo",
        "said",
        "was",
        "were",
    ]
)
SEX_VALUES = {
    "male": ("male", "man", "hombre", "masculino", "varon", "h", "m_en", "boy", "nino"),
    "female": ("female", "woman", "mujer", "femenino", "f", "m_es", "girl", "nina"),
    "other": ("other", "otro", "otra", "non_binary", "no_binario", "x"),
    "unknown": ("unknown", "desconocido", "no_sabe", "ns", "prefer_not_to_say"),
}
YES_NO_VALUES = {
    "yes": ("yes", "y", "si", "s", "1", "true", "verdadero"),
    "no": ("no", "n", "0", "false", "falso"),
    "unknown": ("unknown", "no_sabe", "ns", "nr", "dont_know", "no_se", "desconocido"),
}


@dataclass(frozen=True)
class Candidate:
    """A code and the wordings that name it."""

    code: str
    wordings: tuple[str, ...]


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by single underscores."""
    text = unicodedata.normalize("NFKD", text.strip().lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _words(text: str) -> set[str]:
    return {word for word in normalise(text).split("_") if word and word not in FILLER}


def candidates_for(kind: str, bundle: Bundle, scheme: str = "") -> list[Candidate]:
    """Every code a value of this kind of field may take, with its wordings."""
    if kind in {"term", "terms"}:
        return [
            Candidate(
                term.code, (term.code, term.code.rsplit(".", 1)[-1], term.label_en, term.label_es)
            )
            for term in bundle.terms
            if term.scheme == scheme and term.code != scheme
        ]
    table = {"port": "ports", "nationality": "nationalities", "language": "languages"}[kind]
    return [Candidate(row["code"], _table_wordings(row)) for row in bundle.tables.get(table, [])]


def _table_wordings(row: dict[str, str]) -> tuple[str, ...]:
    wordings = [row["code"]]
    for key in ("name", "label_en", "label_es", "cbp_port_name"):
        if row.get(key):
            wordings += [row[key], row[key].split(" (")[0]]
    if row.get("mexican_city") and row.get("name"):
        city = row["mexican_city"].split(" (")[0]
        wordings += [f"{city} {row['name'].split(' (')[0]}", city]
    return tuple(wordings)


def best_match(value: str, candidates: Iterable[Candidate]) -> tuple[str, float] | None:
    """The most likely code for a value and a score in (0, 1]; None below one half."""
    key = normalise(value)
    candidates = list(candidates)
    for candidate in candidates:
        if any(normalise(wording) == key for wording in candidate.wordings):
            return candidate.code, 1.0
    value_words = _words(value)
    if not value_words:
        return None
    scored = [(_score(value_words, candidate), candidate.code) for candidate in candidates]
    scored = [item for item in scored if item[0] >= 0.5]
    if not scored:
        return None
    score, code = max(scored)
    return code, round(min(score, 0.99), 2)


def _score(value_words: set[str], candidate: Candidate) -> float:
    best = 0.0
    for wording in candidate.wordings:
        words = _words(wording)
        if not words:
            continue
        shared = sum(1 for word in value_words if any(_same(word, other) for other in words))
        coverage = shared / min(len(value_words), len(words))
        precision = shared / max(len(value_words), len(words))
        best = max(best, 0.8 * coverage + 0.2 * precision if shared else 0.0)
    return best


def _same(word: str, other: str) -> bool:
    if word == other:
        return True
    return len(word) >= 4 and len(other) >= 4 and word[:4] == other[:4]


def match_fixed(value: str, choices: dict[str, tuple[str, ...]], spanish: bool) -> str | None:
    """For sex and yes/no fields: the value's meaning, reading "M" by the source's language."""
    key = normalise(value)
    if key == "m":
        key = "m_es" if spanish else "m_en"
    return next((meaning for meaning, words in choices.items() if key in words), None)
