"""The ways a record differs from the person it describes: the errors linkage must survive.

Every function takes a seeded :class:`random.Random` (and the array versions a seeded numpy
generator) so that a source's records are reproducible. Rates come from
:class:`~testimonio.simulation.config.NoiseRates`. Sources use the array versions
(:func:`noisy_names`, :func:`recorded_birth_precision`), which draw which record gets which
error over a whole source at once; the per-record functions say what each error is.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np

from testimonio.simulation.config import NoiseRates
from testimonio.simulation.names import CREOLE_SPELLINGS, NICKNAMES

#: Spanish spelling confusions heard in intake interviews (b/v, s/z, ll/y, silent h).
PHONETIC_SWAPS = (
    ("v", "b"), ("b", "v"), ("z", "s"), ("s", "z"), ("ll", "y"), ("y", "ll"), ("h", ""),
    ("ce", "se"), ("ci", "si"), ("qu", "k"), ("j", "g"), ("x", "j"), ("ñ", "n"), ("gu", "g"),
)  # fmt: skip
KEYBOARD_NEIGHBOURS = {
    "a": "qs", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}  # fmt: skip


def strip_accents(text: str) -> str:
    """José Peña -> Jose Pena (what an English-keyboard intake form often holds)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def misspell(text: str, rnd: random.Random) -> str:
    """One phonetic confusion when one applies, otherwise one keyboard slip."""
    lower = text.lower()
    swaps = [(old, new) for old, new in PHONETIC_SWAPS if old in lower]
    if swaps and rnd.random() < 0.5:
        old, new = rnd.choice(swaps)
        at = lower.index(old)
        replacement = new.upper() if text[at : at + 1].isupper() and new else new
        return text[:at] + replacement + text[at + len(old) :]
    letters = [index for index, char in enumerate(text) if char.isalpha()]
    if len(letters) < 3:
        return text
    at = rnd.choice(letters[1:])
    operation = rnd.randrange(4)
    if operation == 0:
        return text[:at] + text[at + 1 :]
    if operation == 1 and at + 1 < len(text):
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    if operation == 2:
        neighbours = KEYBOARD_NEIGHBOURS.get(text[at].lower(), text[at].lower())
        return text[:at] + rnd.choice(neighbours) + text[at + 1 :]
    return text[:at] + text[at] + text[at:]


def nickname_for(given: str, rnd: random.Random) -> str | None:
    """A nickname for the whole given name or its first part (Jesús Alberto -> Chuy)."""
    for candidate in (given, given.split(" ")[0].split("-")[0]):
        if candidate in NICKNAMES:
            return rnd.choice(NICKNAMES[candidate])
    return None


def creole_spelling(text: str) -> str:
    """Joseph -> Jozèf, Jean-Pierre -> Jan-Pyè: how a Kreyòl-speaking volunteer may write it."""
    parts = text.replace("-", " - ").split(" ")
    return "".join(CREOLE_SPELLINGS.get(part, part) if part != "-" else "-" for part in parts)


@dataclass
class RecordedName:
    given: str
    paternal: str
    maternal: str

    @property
    def surnames(self) -> str:
        return f"{self.paternal} {self.maternal}".strip()

    @property
    def full(self) -> str:
        return f"{self.given} {self.surnames}".strip()


def noisy_name(
    given: str,
    paternal: str,
    maternal: str,
    rates: NoiseRates,
    rnd: random.Random,
    *,
    creole: bool = False,
) -> RecordedName:
    """The name as one organization wrote it down."""
    name = RecordedName(given, paternal, maternal)
    if creole:
        name.given, name.paternal = creole_spelling(name.given), creole_spelling(name.paternal)
    if rnd.random() < rates.nickname:
        name.given = nickname_for(name.given, rnd) or name.given
    if name.maternal and rnd.random() < rates.drop_maternal_surname:
        name.maternal = ""
    if name.maternal and rnd.random() < rates.swap_surnames:
        name.paternal, name.maternal = name.maternal, name.paternal
    if rnd.random() < rates.swap_given_and_surname:
        name.given, name.paternal, name.maternal = name.surnames, name.given, ""
    if rnd.random() < rates.typo:
        part = rnd.choice(
            ["given", "paternal", "maternal"] if name.maternal else ["given", "paternal"]
        )
        setattr(name, part, misspell(getattr(name, part), rnd))
    if rnd.random() < rates.drop_accents:
        name = RecordedName(
            *(strip_accents(part) for part in (name.given, name.paternal, name.maternal))
        )
    return name


@dataclass(frozen=True)
class RecordedDate:
    """A date as recorded: ``precision`` is ``day``, ``year`` or ``unknown``."""

    value: date | None
    precision: str

    @property
    def year(self) -> int | None:
        return self.value.year if self.value else None


def recorded_birth_date(
    true_date: date, known_precision: str, rates: NoiseRates, rnd: random.Random
) -> RecordedDate:
    """What a source records of a birth date the person knows to ``known_precision``."""
    if known_precision == "unknown" or rnd.random() < rates.missing_birth_date:
        return RecordedDate(None, "unknown")
    if known_precision == "year" or rnd.random() < rates.partial_birth_date:
        return RecordedDate(date(true_date.year, 1, 1), "year")
    return RecordedDate(true_date, "day")


@cache
def _stripped(text: str) -> str:
    return strip_accents(text)


def _apply(values: np.ndarray, rows: np.ndarray, function: Callable[[str], str]) -> None:
    values[rows] = [function(value) for value in values[rows]]


def noisy_names(
    given: np.ndarray,
    paternal: np.ndarray,
    maternal: np.ndarray,
    rates: NoiseRates,
    rng: np.random.Generator,
    rnd: random.Random,
    *,
    creole: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`noisy_name` over whole arrays: the same errors at the same rates, drawn at once.

    Which records get which error is drawn with ``rng`` in one go; only the rare string edits
    (nicknames, misspellings) loop over the records they touch, with ``rnd``.
    """
    given = np.asarray(given, dtype=object).copy()
    paternal = np.asarray(paternal, dtype=object).copy()
    maternal = np.asarray(maternal, dtype=object).copy()
    draw = rng.random((6, len(given)))
    if creole is not None and creole.any():
        rows = np.flatnonzero(creole)
        _apply(given, rows, creole_spelling)
        _apply(paternal, rows, creole_spelling)
    for row in np.flatnonzero(draw[0] < rates.nickname).tolist():
        given[row] = nickname_for(given[row], rnd) or given[row]
    has_maternal = maternal != ""
    maternal[has_maternal & (draw[1] < rates.drop_maternal_surname)] = ""
    swap = (maternal != "") & (draw[2] < rates.swap_surnames)
    paternal[swap], maternal[swap] = maternal[swap], paternal[swap].copy()
    flip = np.flatnonzero(draw[3] < rates.swap_given_and_surname)
    surnames = [f"{p} {m}".strip() for p, m in zip(paternal[flip], maternal[flip], strict=True)]
    given[flip], paternal[flip], maternal[flip] = surnames, given[flip], ""
    for row in np.flatnonzero(draw[4] < rates.typo).tolist():
        parts = (given, paternal, maternal) if maternal[row] else (given, paternal)
        part = rnd.choice(parts)
        part[row] = misspell(part[row], rnd)
    stripped = np.flatnonzero(draw[5] < rates.drop_accents)
    for part in (given, paternal, maternal):
        _apply(part, stripped, _stripped)
    return given, paternal, maternal


def recorded_birth_precision(
    known: np.ndarray, rates: NoiseRates, rng: np.random.Generator
) -> np.ndarray:
    """Per record, the precision (index into ``day, year, unknown``) a source records of a birth
    date its person knows to ``known``: :func:`recorded_birth_date` over whole arrays."""
    draw = rng.random((2, len(known)))
    precision = np.asarray(known, dtype=np.int8).copy()
    precision[(precision == 0) & (draw[1] < rates.partial_birth_date)] = 1
    precision[draw[0] < rates.missing_birth_date] = 2
    return precision
