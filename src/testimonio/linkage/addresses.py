"""Addresses written in one column or split over several, made comparable.

Lists write an address as one text ("12 Hill St, Apt 3, Springfield") or over several columns
(street number, street, second line, locality, postcode, state or region). Both become the same
standard columns: ``address`` (number, street and second line, normalised, abbreviations
written out), ``address_tokens`` (its words, sorted, for when one list holds more of the address
than the other), ``locality``, ``postcode`` and ``region``. Splink then compares the street
address with Jaro-Winkler and word overlap, and the postcode and locality exactly.

What must always hold: missing parts are nulls, never empty strings, so "not recorded" is no
evidence; digits are kept (a house number tells people apart, unlike in a name).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pandas as pd

__all__ = ["ADDRESS_PARTS", "address_columns", "normalise_address", "normalise_postcode"]

#: Our address fields, in the order a street address is written.
ADDRESS_PARTS = ("address", "street_number", "street", "address_line2")

#: Abbreviations of street types and second lines -> one spelling (English, Spanish, French,
#: Portuguese). Only unambiguous ones: "St" for Saint is rare in street addresses.
_ABBREVIATIONS = {
    "st": "street", "str": "street", "rd": "road", "ave": "avenue", "av": "avenue",
    "avda": "avenue", "avenida": "avenue", "avenue": "avenue", "dr": "drive", "ln": "lane",
    "ct": "court", "pl": "place", "blvd": "boulevard", "bd": "boulevard", "hwy": "highway",
    "pkwy": "parkway", "cres": "crescent", "tce": "terrace", "sq": "square", "cir": "circle",
    "apt": "apartment", "apto": "apartment", "appt": "apartment", "ste": "suite", "fl": "floor",
    "no": "number", "nr": "number", "n": "north", "s": "south", "e": "east", "w": "west",
    "c": "calle", "cl": "calle", "col": "colonia", "r": "rua", "pca": "praca",
}  # fmt: skip

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9ñ]+")


def _plain(value: object) -> str:
    """Lower-case, accent-free (ñ kept) text with every other character a space."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip().lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("ñ", "\x00"))
        text = "".join(char for char in text if not unicodedata.combining(char))
        text = text.replace("\x00", "ñ")
    return _NOT_ALPHANUMERIC.sub(" ", text).strip()


def normalise_address(value: object) -> str:
    """Words of an address part, abbreviations written out ("12 Hill St." -> "12 hill street")."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in _plain(value).split())


def normalise_postcode(value: object) -> str:
    """Letters and digits only, upper-case ("sw1a 1aa" -> "SW1A1AA"); a ZIP+4 keeps its five."""
    text = _plain(value).replace(" ", "").upper()
    if len(text) == 9 and text.isdigit():  # ZIP+4 written without its hyphen
        text = text[:5]
    return text


def _per_distinct(series: pd.Series, function: Callable[[object], str]) -> pd.Series:
    uniques = series.drop_duplicates()
    lookup = {value: function(value) or None for value in uniques}
    return series.map(lookup).astype(object)


def address_columns(frame: pd.DataFrame, columns: dict[str, str]) -> dict[str, pd.Series]:
    """The standard address columns of ``frame`` (``columns`` maps our fields to its columns).

    Every standard column is returned, all null when the table has no such part.
    """
    empty = pd.Series("", index=frame.index, dtype=object)
    parts = [
        frame[columns[part]].fillna("").astype(str) if part in columns else empty
        for part in ADDRESS_PARTS
    ]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + " " + part
    address = _per_distinct(joined, normalise_address)
    return {
        "address": address,
        "address_tokens": address.map(_tokens, na_action="ignore").astype(object),
        "locality": _part(frame, columns, "locality", normalise_address),
        "postcode": _part(frame, columns, "postcode", normalise_postcode),
        "region": _part(frame, columns, "region", normalise_address),
    }


def _part(
    frame: pd.DataFrame, columns: dict[str, str], field: str, function: Callable[[object], str]
) -> pd.Series:
    if field not in columns:
        return pd.Series(None, index=frame.index, dtype=object)
    return _per_distinct(frame[columns[field]].fillna("").astype(str), function)


def _tokens(address: str) -> list[str]:
    return sorted(set(address.split()))
