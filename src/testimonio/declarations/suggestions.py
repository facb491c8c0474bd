"""Suggested codes for a paragraph, from a bilingual lexicon of each tactic (no model file).

A suggestion is only that: the coding screen shows it, a person confirms or rejects it. Each
carries ``LEXICON_VERSION`` so a confirmed coding can say what suggested it. The lexicon is
written from the vocabulary's definitions and how declarants put things in English and
Spanish (words folded: case and accents ignored), not from the simulator's sentences; on the
simulator's templated declarations its precision and recall are an upper bound of what real
declarations will give (tests/declarations/test_suggestions.py measures them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from testimonio.declarations.identity import fold

__all__ = ["LEXICON_VERSION", "Suggestion", "score_suggestions", "suggest_codes"]

LEXICON_VERSION = "lexicon-1"

LEXICON: dict[str, tuple[str, ...]] = {
    "TAC.MISINFO.NO_ASYLUM": (
        r"no (?:more )?asylum",
        r"no hay (?:mas )?asilo",
        r"asylum (?:is over|ended)",
    ),
    "TAC.MISINFO.NATIONALITY": (
        r"(?:people|those) like you",
        r"gente como (?:ustedes|tu)",
        r"no asylum for (?:\w+ )?(?:people|mexicans|hondurans|guatemalans|salvadorans)",
    ),
    "TAC.MISINFO.APPOINTMENT": (
        r"\bappointment\b",
        r"\bcita\b",
        r"need(?:ed)? (?:\w+ )?papers",
        r"necesitaba (?:\w+ )?papeles",
    ),
    "TAC.DENY.CAPACITY": (
        r"\b(?:we are|it is|port is) full\b",
        r"no (?:space|room|capacity)",
        r"\bllenos?\b",
        r"no hay (?:espacio|cupo|lugar)",
    ),
    "TAC.DENY.LIMIT_LINE": (
        r"middle of the bridge",
        r"(?:mitad|medio) del puente",
        r"limit line",
        r"before (?:we|i) reached the port",
    ),
    "TAC.DENY.WAITLIST": (
        r"\b(?:the|a) list\b.*\bnumber\b",
        r"\blista\b.*\bnumero\b",
        r"waiting list",
        r"lista de espera",
    ),
    "TAC.DENY.REDIRECT": (r"(?:different|another|other) port", r"otra garita", r"otro puerto"),
    # Saying one is afraid is fear *expressed* (not this term): the term is its being ignored.
    "TAC.FEAR_IGNORED": (
        r"did not (?:write (?:anything|it) down|listen)",
        r"ignored (?:me|us|what i said)",
        r"no anoto nada",
        r"no me hizo caso",
    ),
    "TAC.THREAT.FAMILY_SEP": (
        r"take (?:my|our|your) (?:children|kids|son|daughter)",
        r"quitar a (?:los|mis) (?:ninos|hijos)",
        r"separate (?:us|me) from my",
    ),
    "TAC.THREAT.DETENTION": (
        r"locked up",
        r"\bjail\b",
        r"\bdetention\b",
        r"\bencerrar\b",
        r"\bcarcel\b",
    ),
    "TAC.THREAT.DEPORTATION": (r"\bdeport", r"\bdeportar"),
    "TAC.INTIMIDATION": (r"\byell(?:ed)?\b", r"laughed at", r"\bgritaron\b", r"se burlaron"),
    "TAC.VERBAL_ABUSE": (r"\binsult", r"called (?:me|us) names", r"\bgroserias\b", r"\binsulto\b"),
    "TAC.PHYS_ABUSE.PUSH": (r"\bpush(?:ed)?\b", r"\bshov", r"\bempujo\b", r"\bempujaron\b"),
    "TAC.COERCION.SIGN": (
        r"(?:made|forced) (?:me|us) (?:to )?sign",
        r"obligaron a firmar",
        r"sign papers",
    ),
    "TAC.COERCION.RECANT": (
        r"until i said i was not afraid",
        r"hasta que dije que no tenia miedo",
        r"kept asking until",
    ),
    "TAC.LANGUAGE.NO_INTERPRETER": (
        r"nobody interpreted",
        r"no interpreter",
        r"nadie me interpreto",
        r"sin interprete",
    ),
    "TAC.HANDOVER.INM": (
        r"mexican immigration",
        r"migracion mexicana",
        r"\binm\b",
        r"handed (?:me|us) over",
    ),
}
_COMPILED = {code: [re.compile(p) for p in patterns] for code, patterns in LEXICON.items()}


@dataclass(frozen=True)
class Suggestion:
    code: str
    #: how many of the term's lexicon entries the paragraph matches
    score: int
    model_version: str = LEXICON_VERSION


def suggest_codes(text: str) -> list[Suggestion]:
    """The terms whose lexicon the paragraph matches, best first (never a decision)."""
    folded = fold(text)
    found = [
        Suggestion(code, hits)
        for code, patterns in _COMPILED.items()
        if (hits := sum(1 for pattern in patterns if pattern.search(folded)))
    ]
    return sorted(found, key=lambda s: (-s.score, s.code))


def score_suggestions(
    cases: Iterable[tuple[str, set[str]]],
) -> tuple[float, float]:
    """Precision and recall of the suggestions over (paragraph text, true codes) pairs."""
    suggested = correct = true = 0
    for text, truth in cases:
        codes = {s.code for s in suggest_codes(text)}
        suggested += len(codes)
        correct += len(codes & truth)
        true += len(truth)
    return (correct / suggested if suggested else 0.0, correct / true if true else 0.0)
