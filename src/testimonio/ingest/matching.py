"""Which code a source's wording means, and which codes are close when none does.

"amenazas" -> TAC.THREAT, "Tijuana / San Ysidro" -> 2504-SYS, "H" -> male.

What must always hold: a wording is mapped to a code only when it *is* one of that code's
known wordings (:func:`exact_match`): its code, a name or label, or a documented alias (a
port's CBP name and Mexican city), compared with accents, case and punctuation removed, and
only when exactly one code has it ("Tijuana" is the city of four ports: no code). Anything
else is never mapped by us: "Tijuana Airport" shares a word with Otay Mesa's city, which once
made it Otay Mesa at 0.9. For such a wording :func:`closest_codes` ranks candidates for a
person to choose from (by words: filler words such as "told", "le dijeron" dropped, words
equal when they share their first four letters, "threatened" ~ "threats").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from testimonio.vocab.bundle import Bundle

__all__ = ["Candidate", "candidates_for", "closest_codes", "exact_match", "normalise"]

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
    """A code, the wordings that name it, and its documented aliases (a port's CBP name and
    Mexican city): a name is preferred to an alias another code shares."""

    code: str
    wordings: tuple[str, ...]
    aliases: tuple[str, ...] = ()


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
    return [
        Candidate(row["code"], _table_wordings(row), _table_aliases(row))
        for row in bundle.tables.get(table, [])
    ]


def _table_wordings(row: dict[str, str]) -> tuple[str, ...]:
    wordings = [row["code"]]
    for key in ("name", "label_en", "label_es"):
        if row.get(key):
            wordings += [row[key], row[key].split(" (")[0]]
    return tuple(wordings)


def _table_aliases(row: dict[str, str]) -> tuple[str, ...]:
    """A port's documented aliases (ports.csv): its CBP port name, its Mexican city with and
    without the port's name."""
    aliases = []
    if row.get("cbp_port_name"):
        aliases.append(row["cbp_port_name"])
    if row.get("mexican_city") and row.get("name"):
        city = row["mexican_city"].split(" (")[0]
        aliases += [f"{city} {row['name'].split(' (')[0]}", city]
    return tuple(aliases)


def exact_match(value: str, candidates: Iterable[Candidate]) -> str | None:
    """The one code whose code, name or label is this wording (else whose documented alias
    is), compared normalised; None when no code, or more than one, has it."""
    key = normalise(value)
    if not key:
        return None
    candidates = list(candidates)
    for tier in ("wordings", "aliases"):
        codes = {
            candidate.code
            for candidate in candidates
            if any(normalise(wording) == key for wording in getattr(candidate, tier))
        }
        if len(codes) == 1:
            return codes.pop()
        if codes:
            return None  # shared by several codes: a person says which
    return None


def closest_codes(value: str, candidates: Iterable[Candidate], limit: int = 5) -> list[str]:
    """Up to ``limit`` codes a person may mean by a wording that is none of them, closest
    first (codes sharing an exact alias, then by shared words); never applied by us."""
    key = normalise(value)
    value_words = _words(value)
    scored = []
    for candidate in candidates:
        wordings = (*candidate.wordings, *candidate.aliases)
        if any(normalise(wording) == key for wording in wordings):
            score = 2.0
        else:
            score = _score(value_words, candidate) if value_words else 0.0
        if score > 0:
            scored.append((-score, candidate.code))
    return [code for _score_, code in sorted(scored)[:limit]]


def _score(value_words: set[str], candidate: Candidate) -> float:
    best = 0.0
    for wording in (*candidate.wordings, *candidate.aliases):
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
