"""The values of one imported row, as the bulk writer stores them: its key, its identity and
coded attributes, and random UUIDs and data keys made many at a time (one read of the system's
random source per chunk rather than one per value). Reads no database."""

from __future__ import annotations

import os
import uuid
from dataclasses import fields
from typing import Any

from django.db import connection

from testimonio.crypto import KEY_BYTES, Key
from testimonio.ingest import Attributes, EncounterRow, RowHasher, ValidatedRow
from testimonio.web.cases.models.people import AgeBand, GenderIdentity, Sex
from testimonio.web.keys.identity import IdentityFields, provenance_text


def uuid4s(count: int) -> list[tuple[str, Any]]:
    """``count`` random (version 4) UUIDs, each as its text and as the database stores it.

    The same values :func:`uuid.uuid4` makes, from one read of the system's random source and
    string slicing instead of a :class:`uuid.UUID` object each (an import makes three per
    record): the version digit is 4 and the variant digit one of 8, 9, a, b, as ``uuid``
    sets those bits. SQLite stores a UUID as its 32 hex digits (as Django's UUIDField does);
    PostgreSQL gets :class:`uuid.UUID` objects for its uuid type.
    """
    digits = os.urandom(16 * count).hex()
    texts = [
        f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"
        for h in (digits[start : start + 32] for start in range(0, 32 * count, 32))
    ]
    if connection.features.has_native_uuid_field:
        return [(text, uuid.UUID(text)) for text in texts]
    return [(text, text.replace("-", "")) for text in texts]


#: A random hex digit's two low bits under the variant bits ``10``: what uuid.UUID(version=4)
#: makes of the digit after the third hyphen.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def new_keys(count: int) -> list[Key]:
    """``count`` fresh data keys, as :meth:`Key.generate` makes them, from one read of the
    system's random source instead of one per key."""
    material = os.urandom(KEY_BYTES * count)
    return [Key(material[KEY_BYTES * n : KEY_BYTES * (n + 1)]) for n in range(count)]


IDENTITY_NAMES = tuple(item.name for item in fields(IdentityFields))


def record_key(row: ValidatedRow) -> str:
    """How a source's row is found again: its own record id, else its content (its digest).

    Why not the sheet and row number: two files of one source without an id column (January's
    list, then February's) have the same row numbers, and February's people overwrote
    January's. A row without an id is recognised only when it comes again unchanged; a changed
    one is a new record (nothing says which earlier row it changes)."""
    return row.attributes.record_id or f"row:{row.provenance.digest}"


def keyed_record_key(hasher: RowHasher, source_id: int, row: ValidatedRow) -> str:
    """The stored index of the row's :func:`record_key` (keyed: the key itself is sealed)."""
    return hasher.record_index(source_id, record_key(row))


def identity_fields(row: ValidatedRow) -> IdentityFields:
    """A validated row's identity, with its provenance, as the sealing functions take it."""
    i, p = row.identity, row.provenance
    return IdentityFields(
        provenance=provenance_text(p.file, p.sheet, p.row, record_key(row), p.digest),
        given_names=i.given_names,
        surnames=i.surnames,
        full_name=i.full_name,
        birth_date=i.birth_date.isoformat() if i.birth_date else "",
        phone=i.phone,
    )


SEXES, GENDER_IDENTITIES = frozenset(Sex.values), frozenset(GenderIdentity.values)


def record_attributes(a: Attributes) -> dict[str, str]:
    """A record's coded attributes from a validated row's (unknown where not given)."""
    return {
        "sex": a.sex if a.sex in SEXES else Sex.UNKNOWN,
        "gender_identity": a.gender_identity
        if a.gender_identity in GENDER_IDENTITIES
        else GenderIdentity.UNKNOWN,
        "age_band": _age_band(a.age),
        "nationality": a.nationality,
        "language": a.language,
    }


def _age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    for limit, band in (
        (12, AgeBand.UNDER_12),
        (18, AgeBand.TEEN),
        (30, AgeBand.YOUNG_ADULT),
        (45, AgeBand.ADULT),
        (60, AgeBand.MIDDLE),
    ):
        if age < limit:
            return band
    return AgeBand.OLDER


def filled_fields(identity: IdentityFields) -> list[str]:
    return [name for name in IDENTITY_NAMES if getattr(identity, name)]


def coding_evidence(item: EncounterRow) -> str:
    return f"{item.sheet} row {item.row}" if item.sheet else f"row {item.row}"
