"""What must come out of a declaration before it is filed: the declarant's identity.

:class:`Identity` is what the caller knows (the linked person's records); the declaration
adds what it states itself ("I, NAME, declare", "Mi nombre completo es NAME", "my son NAME").
Every value is turned into accent- and case-blind search terms. Nothing here logs a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

__all__ = ["Identity", "Term", "fold_with_positions", "name_parts", "stated_names"]

MONTHS_EN = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTHS_ES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
)  # fmt: skip
#: Words inside names that are not names by themselves ("de la Cruz", "van der Berg").
PARTICLES = {"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "van", "der",
             "von", "di", "du", "le", "el", "al", "bin", "ibn"}  # fmt: skip
CAPITALISED = r"[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+(?:[-'][^\W\d_]+)*"
NAME = rf"{CAPITALISED}(?:\s+(?:(?:de|del|la|las|los|y|da|dos|van|der)\s+)*{CAPITALISED}){{0,5}}"
DECLARANT_STATES = (
    re.compile(rf"\bI,\s+(?P<name>{NAME}),\s+(?:hereby\s+)?(?:declare|state|swear)"),
    re.compile(rf"\bYo,\s+(?P<name>{NAME}),\s+(?:declaro|manifiesto|juro)"),
    re.compile(rf"\b(?:My|my)\s+(?:full\s+|legal\s+)?name\s+is\s+(?P<name>{NAME})"),
    re.compile(rf"\b(?:Mi|mi)\s+nombre\s+(?:completo\s+)?es\s+(?P<name>{NAME})"),
    re.compile(rf"\b(?:Me|me)\s+llamo\s+(?P<name>{NAME})"),
)
RELATIVES = (
    "son|daughter|brother|sister|mother|father|partner|husband|wife|child|cousin|uncle|aunt|"
    "nephew|niece|grandson|granddaughter|grandmother|grandfather|hijo|hija|hermano|hermana|"
    "madre|padre|mamá|papá|pareja|esposo|esposa|marido|sobrino|sobrina|primo|prima|tío|tía|"
    "nieto|nieta|abuelo|abuela"
)
FAMILY_STATES = re.compile(rf"\b(?:[Mm]y|[Mm]i)\s+(?:{RELATIVES}),?\s+(?P<name>{NAME})")


@dataclass(frozen=True)
class Identity:
    """Identity values of one declarant, as the project's records hold them."""

    names: Sequence[str] = ()
    pseudonym: str = ""
    birth_dates: Sequence[date] = ()
    phones: Sequence[str] = ()
    addresses: Sequence[str] = ()
    family_names: Sequence[str] = ()


@dataclass(frozen=True)
class Term:
    """One thing to find: a folded pattern, what kind it is, and what replaces it."""

    kind: str
    pattern: str
    replacement: str
    #: folded regexes that must find nothing in a redacted copy (checked after rendering)
    check: tuple[str, ...] = field(default=())
    #: the check searches the copy's digits only (phones, whatever their separators)
    digits: bool = False


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, and for each folded character its original position."""
    folded: list[str] = []
    positions: list[int] = []
    for position, char in enumerate(text):
        for piece in unicodedata.normalize("NFD", char.casefold()):
            if not unicodedata.combining(piece):
                folded.append(piece)
                positions.append(position)
    return "".join(folded), positions


def fold(text: str) -> str:
    return fold_with_positions(text)[0]


def name_parts(name: str) -> list[str]:
    """The words of a name that identify by themselves (particles and initials left out)."""
    return [
        part
        for part in re.split(r"[\s\-]+", name)
        if len(part) > 1 and fold(part) not in PARTICLES and not part.endswith(".")
    ]


def initials(name: str) -> str:
    """'J.M.P.' for 'José Montalvo Pérez' (particles left out)."""
    return "".join(f"{part[0].upper()}." for part in name_parts(name)) or "[name]"


def stated_names(text: str) -> tuple[list[str], list[str]]:
    """Names the declaration states for the declarant and for family members it names.

    Initials ("my son J.G.R.") are not names here: they are already what a filing shows.
    """
    declarant = [m.group("name") for rule in DECLARANT_STATES for m in rule.finditer(text)]
    family = [m.group("name") for m in FAMILY_STATES.finditer(text)]
    return declarant, family


def name_pattern(name: str) -> str:
    """A folded regex for a name: spaces and hyphens interchangeable, whole words only."""
    words = [re.escape(word) for word in re.split(r"[\s\-]+", fold(name).strip()) if word]
    return r"\b" + r"[\s\-]+".join(words) + r"\b"


def birth_date_patterns(value: date) -> list[str]:
    """The ways a declaration or a form writes a birth date, folded."""
    day, month, year = value.day, value.month, value.year
    english, spanish = MONTHS_EN[month - 1], MONTHS_ES[month - 1]
    written = [
        rf"{english}\.?\s+0?{day},?\s+{year}",
        rf"{english[:3]}\.?\s+0?{day},?\s+{year}",
        rf"0?{day}\s+(?:de\s+)?{english}\.?,?\s+{year}",
        rf"0?{day}\s+(?:de\s+)?{spanish}\s+(?:de|del)\s+{year}",
        rf"0?{day}\s+{spanish[:3]}\.?\s+{year}",
        rf"0?{month}[/.\-]0?{day}[/.\-]{year}",
        rf"0?{day}[/.\-]0?{month}[/.\-]{year}",
        rf"{year}-{month:02d}-{day:02d}",
    ]
    return [rf"\b{pattern}\b" for pattern in written]
