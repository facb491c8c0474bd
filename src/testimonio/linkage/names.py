"""Names as the people on these lists write them, reduced to forms that can be compared.

The population is mostly Mexican, Central American, Venezuelan and Haitian: double surnames
(paternal then maternal, often one missing), compound given names (José Luis, María de la Luz),
particles (de, del, de la, y), nicknames (Chuy for Jesús, Lupe for Guadalupe), accents dropped
by one intake form and kept by another, and French or Creole spellings. A clerk may also have
swapped given names and surnames. English lists add their short forms (Bob for Robert,
:mod:`testimonio.linkage.english_nicknames`) and initials.

What must always hold: these functions are pure and deterministic (the same text gives the same
key on every run and machine), and they never log or raise with a name in the message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from testimonio.linkage.english_nicknames import ENGLISH_NICKNAMES

__all__ = [
    "NICKNAMES",
    "PARTICLES",
    "SplitName",
    "canonical_given_names",
    "normalise_keeping_enye",
    "spanish_phonetic_key",
    "split_full_name",
    "split_surnames",
]

#: Words that join or introduce a surname ("de la Cruz", "García y López") or a compound
#: given name ("María de los Ángeles"); they carry no identity, and clerks drop them freely.
PARTICLES: frozenset[str] = frozenset(
    {"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "van", "von", "di", "le", "du"}
)

#: Diminutives and nicknames of this population -> the given names they stand for. A nickname
#: may stand for several names (Beto: Alberto or Roberto); all are kept as candidates.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "chuy": ("jesus",),
    "chucho": ("jesus",),
    "lupe": ("guadalupe",),
    "lupita": ("guadalupe",),
    "pancho": ("francisco",),
    "paco": ("francisco",),
    "kiko": ("francisco", "enrique"),
    "memo": ("guillermo",),
    "nacho": ("ignacio",),
    "lalo": ("eduardo",),
    "tono": ("antonio",),
    "toño": ("antonio",),
    "toni": ("antonio",),
    "beto": ("alberto", "roberto", "humberto"),
    "pepe": ("jose",),
    "chepe": ("jose",),
    "pepito": ("jose",),
    "concha": ("concepcion",),
    "conchita": ("concepcion",),
    "chela": ("graciela",),
    "chelo": ("consuelo",),
    "lola": ("dolores",),
    "lolita": ("dolores",),
    "pili": ("pilar",),
    "maite": ("maria teresa",),
    "tere": ("teresa",),
    "rosy": ("rosa",),
    "charo": ("rosario",),
    "chayo": ("rosario",),
    "quique": ("enrique",),
    "rafa": ("rafael",),
    "santi": ("santiago",),
    "nando": ("fernando",),
    "fer": ("fernando",),
    "alex": ("alejandro", "alexander"),
    "ale": ("alejandro", "alejandra"),
    "manolo": ("manuel",),
    "manu": ("manuel",),
    "chente": ("vicente",),
    "goyo": ("gregorio",),
    "licha": ("alicia",),
    "meche": ("mercedes",),
    "nena": ("magdalena",),
    "cuca": ("refugio",),
    "cuco": ("refugio",),
    "poncho": ("alfonso",),
    "rigo": ("rigoberto",),
    "tacho": ("anastasio",),
    "chalo": ("gonzalo",),
    "chema": ("jose maria",),
    "juancho": ("juan",),
    "juanito": ("juan",),
    "checo": ("sergio",),
    "tavo": ("gustavo",),
    "jacky": ("jacqueline",),
    "ti jan": ("jean",),
    "jan": ("jean",),
    "jak": ("jacques",),
    "jozef": ("joseph",),
    "jozèf": ("joseph",),
    "wobè": ("robert",),
    "mari": ("marie",),
}

# English short forms (Bob, Bill, Liz) join the table; a form in both keeps every candidate.
for _short, _names in ENGLISH_NICKNAMES.items():
    NICKNAMES[_short] = tuple(dict.fromkeys((*NICKNAMES.get(_short, ()), *_names)))

_NON_LETTERS = re.compile(r"[^a-zñ ]+")
_SPACES = re.compile(r"\s+")


def normalise_keeping_enye(value: object) -> str:
    """Lower-case, strip accents (keeping ñ, which changes the name) and punctuation.

    Unlike :func:`testimonio.crypto.blind_index.normalise_folding_enye` (a blind index folds ñ
    to n), the comparison keeps ñ: "Peña" and "Pena" are different surnames, and the model
    weighs how alike they are rather than treating them as the same.

    Returns "" for missing values, so callers need not test for None, NaN and blanks apart.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip().lower()
    if not text.isascii() or "\x00" in text:  # ASCII has no accents: most names, and fast
        text = unicodedata.normalize("NFKD", text.replace("ñ", "\x00"))
        text = "".join(char for char in text if not unicodedata.combining(char))
        text = text.replace("\x00", "ñ")
    text = text.replace("-", " ").replace("'", "")
    return _SPACES.sub(" ", _NON_LETTERS.sub(" ", text)).strip()


def _tokens_without_particles(text: str) -> list[str]:
    return [token for token in text.split(" ") if token and token not in PARTICLES]


@lru_cache(maxsize=200_000)
def canonical_given_names(value: str) -> tuple[str, ...]:
    """Every form a given name may stand for: its own words plus the names a nickname stands for.

    "Chuy" gives ("chuy", "jesus"); "José Luis" gives ("jose", "luis"); "Beto" gives
    ("beto", "alberto", "roberto", "humberto"). Two records share a person's given name when
    these sets overlap.
    """
    text = normalise_keeping_enye(value)
    forms: list[str] = []
    for candidate in [text, *text.split(" ")]:
        for expansion in NICKNAMES.get(candidate, ()):
            forms.extend(_tokens_without_particles(expansion))
    forms = _tokens_without_particles(text) + forms
    return tuple(dict.fromkeys(forms))


@dataclass(frozen=True)
class SplitName:
    """A name cut into its parts: first given name, all given names, paternal, maternal."""

    given: str
    given_all: str
    paternal: str
    maternal: str


def split_surnames(value: object) -> tuple[str, str]:
    """Paternal and maternal surname from one surname field ("García y López", "de la Cruz").

    Particles are dropped so that "de la Cruz", "De La Cruz" and "Cruz" agree; a lone surname
    is taken as the paternal one, which is the one Latin American forms ask for first.
    """
    tokens = _tokens_without_particles(normalise_keeping_enye(value))
    if not tokens:
        return "", ""
    if len(tokens) == 1:
        return tokens[0], ""
    return tokens[0], " ".join(tokens[1:])


def split_full_name(value: object) -> SplitName:
    """Cut a single "full name" field into given names and surnames.

    "GARCIA LOPEZ, Juan Carlos" (comma) puts surnames first; otherwise the Spanish order is
    assumed: the last two words are the surnames when there are three or more, the last one when
    there are two. Wrong guesses are caught by the swapped-name comparison level.
    """
    raw = "" if value is None else str(value)
    if "," in raw:
        surnames_part, _, given_part = raw.partition(",")
        return _split_name(normalise_keeping_enye(given_part), surnames_part)
    tokens = _tokens_without_particles(normalise_keeping_enye(raw))
    if len(tokens) <= 1:
        return SplitName(tokens[0] if tokens else "", tokens[0] if tokens else "", "", "")
    cut = len(tokens) - (2 if len(tokens) >= 3 else 1)
    return _split_name(" ".join(tokens[:cut]), " ".join(tokens[cut:]))


def _split_name(given_text: str, surnames: object) -> SplitName:
    given_tokens = _tokens_without_particles(given_text)
    paternal, maternal = split_surnames(surnames)
    first = given_tokens[0] if given_tokens else ""
    return SplitName(first, " ".join(given_tokens), paternal, maternal)


# Ordered rewrite rules of the phonetic key. Earlier rules win; each maps a spelling to the
# sound class that Spanish (and Haitian French/Creole) speakers hear for it.
_PHONETIC_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), sound)
    for pattern, sound in (
        ("eau", "o"),
        ("ph", "f"),
        ("th", "t"),
        ("s?ch|sh", "x"),
        ("ll", "y"),
        ("qu", "k"),
        ("gu(?=[ei])", "G"),
        ("g(?=[ei])", "j"),
        ("G", "g"),
        ("c(?=[ei])", "s"),
        ("ou", "u"),
        ("au", "o"),
    )
)

_CONSONANT_CLASSES = str.maketrans(
    {"v": "b", "w": "b", "z": "s", "c": "k", "q": "k", "ñ": "n", "y": "y", "h": None}
)
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=200_000)
def spanish_phonetic_key(value: str) -> str:
    """A Spanish-Metaphone style key: spellings a Spanish ear hears alike get the same key.

    Rules, in order (after :func:`normalise_keeping_enye`): French "eau"/"au"/"ou" become o/o/u;
    ph->f, th->t, ch/sh/sch->x, ll->y, qu->k; g before e/i -> j (gue/gui keep a hard g); c
    before e/i -> s; then b/v/w -> b, c/q -> k, z/s -> s, ñ -> n, h is silent; y between
    consonants or at the end is the vowel i; doubled letters collapse; vowels after the first
    letter are dropped, as Metaphone does, so that vowel slips (Mireya/Mirella) do not change
    the key, and letters doubled once the vowels are gone collapse again.

    The key of a multi-word name is the keys of its words joined by spaces.
    """
    words = [_phonetic_word(word) for word in normalise_keeping_enye(value).split(" ") if word]
    return " ".join(word for word in words if word)


def _phonetic_word(word: str) -> str:
    for pattern, sound in _PHONETIC_RULES:
        word = pattern.sub(sound, word)
    word = word.translate(_CONSONANT_CLASSES)
    word = re.sub(r"y(?=[^aeiou]|$)", "i", word)
    word = re.sub(r"(.)\1+", r"\1", word)
    if not word:
        return ""
    head, tail = word[0], word[1:]
    return re.sub(r"(.)\1+", r"\1", head + "".join(char for char in tail if char not in _VOWELS))
