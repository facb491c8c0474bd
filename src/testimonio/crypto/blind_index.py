"""Keyed blind indexes: find records by exact identity values without storing the values.

An HMAC of a normalised value (surname and birth year, a phone number) under a key derived from
the master key lets the app answer "do we already have this person?" with an indexed equality
query. Without the master key nobody can tell which value an index stands for or test a guess;
but equal values give equal indexes, so the database alone shows which records share a
surname and birth year, or a phone (docs/security.md, "What remains"): that is what lets the
query find them. Normalisation drops case, accents and punctuation so "PÉREZ" and "perez" agree.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from testimonio.crypto.keys import Key

#: A run of letters or digits (``str.isalnum``): ``\w`` is exactly those plus the underscore.
_WORD = re.compile(r"[^\W_]+")
#: The same for ASCII text, once lower-cased.
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def index_key(master: Key) -> bytes:
    """The HMAC key for blind indexes, derived from (never equal to) the master key."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"testimonio-blind-index"
    ).derive(master.material)


def row_identity_key(master: Key) -> bytes:
    """The HMAC key of imported rows' fingerprints and record keys
    (:class:`testimonio.ingest.row_identity.RowHasher`): from the same master key as
    :func:`index_key`, for another purpose, so neither key tells anything of the other."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"testimonio-row-identity"
    ).derive(master.material)


def normalise_folding_enye(value: str) -> str:
    """Case-folded, accent-free (ñ becomes n), punctuation-free, single-spaced.

    Unlike :func:`testimonio.linkage.names.normalise_keeping_enye`, ñ is folded too: "Núñez"
    and "Nunez" must find the same blind index, and stored indexes were computed this way. The
    words of the text: runs of letters and digits once it is decomposed (NFKD), its
    combining marks dropped and its case folded, joined by single spaces. Names are mostly
    ASCII, where all of that is lower-casing; a test checks both paths against the definition
    on many names.
    """
    if value.isascii():
        return " ".join(_ASCII_WORD.findall(value.lower()))
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_WORD.findall(letters.casefold()))


def normalise_phone(value: str) -> str:
    """Digits only, the last ten (drops country codes and formatting)."""
    return re.sub(r"\D", "", value)[-10:]


def blind_index(purpose: str, value: str, key: bytes) -> str:
    """Hex HMAC-SHA256 of ``purpose`` and an already-normalised ``value`` (empty stays empty)."""
    if not value:
        return ""
    return hmac.new(key, f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()


def surname_year_index(surnames: str, birth_date: str, key: bytes) -> str:
    """Index of the first surname word plus the birth year (both must be known)."""
    words = normalise_folding_enye(surnames).split()
    year = birth_date[:4] if birth_date[:4].isdigit() else ""
    if not words or not year:
        return ""
    return blind_index("surname-year", f"{words[0]}|{year}", key)


def surname_sound_year_index(sound_key: str, birth_date: str, key: bytes) -> str:
    """Index of a surname's phonetic key (:func:`testimonio.linkage.surname_sound_keys`) plus
    the birth year: a blocking key for the intake form's duplicate check, which finds a record
    whatever the spelling or order of its surnames. Coarser than :func:`surname_year_index`
    (Gonzalez and Gonsales share it), so it tells less about any one record."""
    year = birth_date[:4] if birth_date[:4].isdigit() else ""
    if not sound_key or not year:
        return ""
    return blind_index("surname-sound-year", f"{sound_key}|{year}", key)


def phone_index(phone: str, key: bytes) -> str:
    """Index of the phone number's last ten digits (no number, no index)."""
    if not phone:  # most intake rows have none: skip the regular expression
        return ""
    return blind_index("phone", normalise_phone(phone), key)


def given_surname_index(given_names: str, surnames: str, key: bytes) -> str:
    """Index of the first given-name word plus the first surname word (both must be known)."""
    given = normalise_folding_enye(given_names).split()
    family = normalise_folding_enye(surnames).split()
    if not given or not family:
        return ""
    return blind_index("given-surname", f"{given[0]}|{family[0]}", key)


def birth_date_index(birth_date: str, key: bytes) -> str:
    """Index of a full birth date (YYYY-MM-DD, a real day); a year or a month has none."""
    if len(birth_date) != 10:
        return ""
    try:
        day = date.fromisoformat(birth_date)
    except ValueError:
        return ""
    return blind_index("birth-date", day.isoformat(), key)
