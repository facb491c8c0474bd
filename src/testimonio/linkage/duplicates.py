"""How likely a testimony being entered is of a person the project already holds.

The intake form asks this of a handful of candidates before saving. The comparison levels are
the linkage model's own (:mod:`testimonio.linkage.settings.people`, same labels), written here
in plain Python for one pair at a time: starting DuckDB and Splink for a form would cost more
than the whole check. Each level's m and u probabilities come from the project's last
linkage run when it trained that level (:func:`parameters_from_settings`), else from
:data:`DEFAULT_LEVELS`; the probability is Fellegi-Sunter's, as Splink computes it (no
term-frequency adjustment: a common surname counts as much as a rare one, which overstates
agreement on García; the threshold is set with that in mind, docs/intake.md).

What must always hold: identity values stay in memory; a :class:`DuplicateScore` holds level
labels and field names, never a value, so it may be shown, logged or audited.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from testimonio.linkage.names import (
    canonical_given_names,
    normalise_keeping_enye,
    spanish_phonetic_key,
    split_surnames,
)

__all__ = [
    "DEFAULT_LEVELS",
    "DEFAULT_PRIOR",
    "DuplicateScore",
    "IdentityFacts",
    "SHOW_THRESHOLD",
    "ScoringParameters",
    "parameters_from_settings",
    "score_band",
    "score_pair",
    "surname_sound_keys",
]

ELSE = "All other comparisons"
NULL = "not recorded"

#: (comparison, level label) -> (m, u): how often the level is seen between two records of
#: one person (m) and of two different people (u). Judgements for a project without a linkage
#: run, in line with what the runs on the simulated worlds learn (docs/intake.md).
DEFAULT_LEVELS: dict[tuple[str, str], tuple[float, float]] = {
    ("given_name", "same"): (0.80, 0.01),
    ("given_name", "given name and surname swapped"): (0.01, 0.0001),
    ("given_name", "nickname or compound name"): (0.04, 0.002),
    ("given_name", "sounds alike (Spanish phonetic key)"): (0.04, 0.004),
    ("given_name", "Jaro-Winkler >= 0.92"): (0.04, 0.005),
    ("given_name", "Jaro-Winkler >= 0.8"): (0.03, 0.03),
    ("given_name", ELSE): (0.04, 0.95),
    ("surnames", "both surnames the same"): (0.55, 0.001),
    ("surnames", "both surnames, in the other order"): (0.04, 0.00005),
    ("surnames", "paternal surname the same, maternal missing on one side"): (0.15, 0.01),
    ("surnames", "paternal the same, maternal alike (typo or spelling)"): (0.05, 0.0005),
    ("surnames", "paternal the same, maternal differs"): (0.02, 0.01),
    ("surnames", "one's paternal is the other's maternal (one missing or order swapped)"): (
        0.05,
        0.002,
    ),
    ("surnames", "paternal sounds alike, maternal the same"): (0.04, 0.0002),
    ("surnames", "sounds alike (Spanish phonetic key)"): (0.03, 0.003),
    ("surnames", "Jaro-Winkler >= 0.9"): (0.03, 0.003),
    ("surnames", "Jaro-Winkler >= 0.8"): (0.01, 0.02),
    ("surnames", ELSE): (0.02, 0.95),
    ("birth_date", "same full date"): (0.85, 0.0003),
    ("birth_date", "day and month swapped"): (0.02, 0.00002),
    ("birth_date", "one digit differs"): (0.005, 0.003),
    ("birth_date", "consistent (year, month or age)"): (0.10, 0.03),
    ("birth_date", "two full dates that differ, under three years apart (siblings)"): (
        0.002,
        0.05,
    ),
    ("birth_date", "up to a year apart"): (0.01, 0.03),
    ("birth_date", "up to three years apart"): (0.005, 0.06),
    ("birth_date", "more than three years apart"): (0.002, 0.85),
    ("phone", "same"): (0.30, 0.0001),
    ("phone", ELSE): (0.70, 0.9999),
}

#: The chance that two records picked at random are of one person, without a linkage run:
#: about one in ten thousand pairs, a project of some thousands of records with a few
#: duplicates each.
DEFAULT_PRIOR = 1e-4

#: Candidates at or above this probability are shown. Low on purpose: a duplicate shown in
#: vain costs one click ("a new person"), one missed splits a person's account in two.
SHOW_THRESHOLD = 0.2

_NON_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class IdentityFacts:
    """Who a record names, in memory only (the same fields the intake form asks)."""

    given_names: str = ""
    surnames: str = ""
    birth_date: str = ""  # partial ISO: YYYY, YYYY-MM or YYYY-MM-DD
    phone: str = ""

    def __repr__(self) -> str:
        return "IdentityFacts(<identity>)"


@dataclass(frozen=True)
class ScoringParameters:
    """Each level's (m, u) and the prior; a level missing here falls back to the defaults."""

    levels: Mapping[tuple[str, str], tuple[float, float]] = field(
        default_factory=lambda: dict(DEFAULT_LEVELS)
    )
    prior: float = DEFAULT_PRIOR
    #: Where they came from: "defaults" or "link run N".
    origin: str = "defaults"

    def bayes_factor(self, comparison: str, level: str) -> float:
        m, u = self.levels.get((comparison, level)) or DEFAULT_LEVELS.get(
            (comparison, level), (1.0, 1.0)
        )
        return m / u if u > 0 else 1.0


@dataclass(frozen=True)
class DuplicateScore:
    """One candidate's score: no identity value, only labels and field names."""

    probability: float
    match_weight: float
    levels: dict[str, str]
    #: The fields whose level is evidence for the same person (m > u), in form order.
    agreeing: tuple[str, ...]

    @property
    def band(self) -> str:
        return score_band(self.probability)


def score_band(probability: float) -> str:
    """ "high" (0.9 and above), "medium" (0.5 to 0.9) or "low" (below 0.5)."""
    if probability >= 0.9:
        return "high"
    return "medium" if probability >= 0.5 else "low"


def parameters_from_settings(settings: Mapping[str, Any], origin: str) -> ScoringParameters:
    """The trained m and u of a linkage run's Splink settings, by comparison and level label;
    levels without both (fixed neutral ones, untrained ones) keep the defaults."""
    levels = dict(DEFAULT_LEVELS)
    for comparison in settings.get("comparisons", []):
        name = comparison.get("output_column_name", "")
        for level in comparison.get("comparison_levels", []):
            m, u = level.get("m_probability"), level.get("u_probability")
            label = level.get("label_for_charts", "")
            if (name, label) in DEFAULT_LEVELS and m and u:
                levels[(name, label)] = (float(m), float(u))
    prior = settings.get("probability_two_random_records_match") or DEFAULT_PRIOR
    return ScoringParameters(levels, float(prior), origin)


def surname_sound_keys(surnames: str) -> tuple[str, str]:
    """The Spanish phonetic keys of the paternal and the maternal surname ("" when missing):
    the blocking keys that find a record whatever the spelling or order of its surnames."""
    paternal, maternal = split_surnames(surnames)
    return spanish_phonetic_key(paternal), spanish_phonetic_key(maternal)


def score_pair(
    entry: IdentityFacts, candidate: IdentityFacts, parameters: ScoringParameters
) -> DuplicateScore:
    """How likely ``entry`` and ``candidate`` name the same person."""
    levels = {
        "given_name": _given_name_level(entry, candidate),
        "surnames": _surname_level(entry, candidate),
        "birth_date": _birth_level(entry.birth_date, candidate.birth_date),
        "phone": _phone_level(entry.phone, candidate.phone),
    }
    weight = math.log2(parameters.prior / (1 - parameters.prior))
    agreeing = []
    for comparison, level in levels.items():
        if level == NULL:
            continue
        factor = parameters.bayes_factor(comparison, level)
        weight += math.log2(factor)
        if factor > 1:
            agreeing.append(comparison)
    probability = 2**weight / (1 + 2**weight)
    return DuplicateScore(probability, weight, levels, tuple(agreeing))


def _first_word(text: str) -> str:
    words = normalise_keeping_enye(text).split(" ")
    return words[0] if words else ""


def _given_name_level(entry: IdentityFacts, candidate: IdentityFacts) -> str:
    one, other = _first_word(entry.given_names), _first_word(candidate.given_names)
    if not one or not other:
        return NULL
    if one == other:
        return "same"
    if one == split_surnames(candidate.surnames)[0] and other == split_surnames(entry.surnames)[0]:
        return "given name and surname swapped"
    if set(canonical_given_names(one)) & set(canonical_given_names(other)):
        return "nickname or compound name"
    if spanish_phonetic_key(one) == spanish_phonetic_key(other):
        return "sounds alike (Spanish phonetic key)"
    similarity = JaroWinkler.normalized_similarity(one, other)
    if similarity >= 0.92:
        return "Jaro-Winkler >= 0.92"
    return "Jaro-Winkler >= 0.8" if similarity >= 0.8 else ELSE


def _surname_level(entry: IdentityFacts, candidate: IdentityFacts) -> str:
    (p1, m1), (p2, m2) = split_surnames(entry.surnames), split_surnames(candidate.surnames)
    if not p1 or not p2:
        return NULL
    if (p1, m1) == (p2, m2):
        return "both surnames the same"
    if m1 and m2 and (p1, m1) == (m2, p2):
        return "both surnames, in the other order"
    if p1 == p2:
        if not m1 or not m2:
            return "paternal surname the same, maternal missing on one side"
        if _alike(m1, m2, 0.88):
            return "paternal the same, maternal alike (typo or spelling)"
        return "paternal the same, maternal differs"
    if (m2 and p1 == m2) or (m1 and m1 == p2):
        return "one's paternal is the other's maternal (one missing or order swapped)"
    if spanish_phonetic_key(p1) == spanish_phonetic_key(p2):
        both = m1 and m1 == m2
        return "paternal sounds alike, maternal the same" if both else _SOUNDS_ALIKE
    similarity = JaroWinkler.normalized_similarity(p1, p2)
    if similarity >= 0.9:
        return "Jaro-Winkler >= 0.9"
    return "Jaro-Winkler >= 0.8" if similarity >= 0.8 else ELSE


_SOUNDS_ALIKE = "sounds alike (Spanish phonetic key)"


def _alike(one: str, other: str, jaro_winkler: float) -> bool:
    if spanish_phonetic_key(one) == spanish_phonetic_key(other):
        return True
    return JaroWinkler.normalized_similarity(one, other) >= jaro_winkler


def _birth_level(one: str, other: str) -> str:
    first, second = _span(one), _span(other)
    if first is None or second is None:
        return NULL
    full = len(one) == 10 and len(other) == 10
    if full and one == other:
        return "same full date"
    if full and one[:4] == other[:4] and one[5:7] == other[8:10] and one[8:10] == other[5:7]:
        return "day and month swapped"
    if full and Levenshtein.distance(one, other) <= 1:
        return "one digit differs"
    gap = (max(first[0], second[0]) - min(first[1], second[1])).days
    if not full and gap <= 5:
        return "consistent (year, month or age)"
    if full and gap <= 1100:
        return "two full dates that differ, under three years apart (siblings)"
    if gap <= 366:
        return "up to a year apart"
    return "up to three years apart" if gap <= 1100 else "more than three years apart"


def _span(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a partial ISO birth date may stand for (None if unreadable)."""
    parts = text.split("-") if text else []
    try:
        numbers = [int(part) for part in parts[:3]]
        if len(numbers) == 3:
            day = dt.date(*numbers)
            return day, day
        if len(numbers) == 2:
            last = calendar.monthrange(numbers[0], numbers[1])[1]
            return dt.date(numbers[0], numbers[1], 1), dt.date(numbers[0], numbers[1], last)
        if len(numbers) == 1:
            return dt.date(numbers[0], 1, 1), dt.date(numbers[0], 12, 31)
    except ValueError:
        return None
    return None


def _phone_level(one: str, other: str) -> str:
    # The last eight digits, as linkage compares them (country and area codes come and go).
    first, second = _NON_DIGITS.sub("", one)[-8:], _NON_DIGITS.sub("", other)[-8:]
    if not first or not second:
        return NULL
    return "same" if first == second else ELSE
