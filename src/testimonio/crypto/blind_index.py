"""Keyed blind indexes: find records by exact identity values without storing the values.

An HMAC of a normalised value (surname and birth year, a phone number) under a key derived from
the master key lets the app answer "do we already have this person?" with an indexed equality
query. Without the master key the index reveals nothing, not even which records share a
surname. Normalisation drops case, accents and punctuation so "PÉREZ" and "perez" agree.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from testimonio.crypto.keys import Key

_SPACES = re.compile(r"\s+")


def index_key(master: Key) -> bytes:
    """The HMAC key for blind indexes, derived from (never equal to) the master key."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"testimonio-blind-index"
    ).derive(master.material)


def normalise_text(value: str) -> str:
    """Case-folded, accent-free, punctuation-free, single-spaced."""
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    cleaned = "".join(char if char.isalnum() else " " for char in letters.casefold())
    return _SPACES.sub(" ", cleaned).strip()


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
    words = normalise_text(surnames).split()
    year = birth_date[:4] if birth_date[:4].isdigit() else ""
    if not words or not year:
        return ""
    return blind_index("surname-year", f"{words[0]}|{year}", key)


def phone_index(phone: str, key: bytes) -> str:
    return blind_index("phone", normalise_phone(phone), key)
