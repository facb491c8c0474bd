"""Blocking rules: which pairs are compared at all, for prediction and for the EM passes.

Several cheap equalities on phonetic keys, birth year and (where a list has one) postcode, so
that a person is missed only when every one of them fails (the blocking recall is reported
by :mod:`testimonio.linkage.evaluation`).
"""

from __future__ import annotations

from collections.abc import Collection

#: Blocking rules for prediction, each with the columns it needs. A pair is compared when any
#: rule holds; the rules overlap on purpose so one bad field does not hide a person.
_PREDICTION_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("l.given_key = r.given_key AND l.surname1_key = r.surname1_key", ("given_name", "surname1")),
    ("l.surname1 = r.surname1 AND l.birth_year = r.birth_year", ("surname1", "birth_year")),
    ("l.given_key = r.given_key AND l.birth_date = r.birth_date", ("given_name", "birth_date")),
    ("l.surname1_key = r.surname2_key AND l.given_key = r.given_key", ("given_name", "surname1")),
    ("l.surname2_key = r.surname1_key AND l.given_key = r.given_key", ("given_name", "surname1")),
    ("l.given_name = r.surname1 AND l.surname1 = r.given_name", ("given_name", "surname1")),
    (
        "l.surname1 = r.surname1 AND l.surname2 = r.surname2 AND l.sex = r.sex",
        ("surname1", "sex"),
    ),
    ("l.phone = r.phone", ("phone",)),
    ("l.postcode = r.postcode AND l.birth_date = r.birth_date", ("postcode", "birth_date")),
    ("l.postcode = r.postcode AND l.given_key = r.given_key", ("postcode", "given_name")),
    ("l.address = r.address AND l.postcode = r.postcode", ("address", "postcode")),
    ("l.name_tokens = r.name_tokens", ("given_name", "surname1")),
    (
        "l.given_name = r.given_name AND l.port = r.port AND l.encounter_day = r.encounter_day",
        ("given_name", "port"),
    ),
    (
        "l.surname1 = r.surname1 AND l.port = r.port AND l.encounter_day = r.encounter_day",
        ("surname1", "port"),
    ),
    (
        "l.birth_date = r.birth_date AND list_has_any(l.name_tokens, r.name_tokens)",
        ("given_name", "birth_date"),
    ),
    ("l.given_key = r.surname1_key AND l.surname1_key = r.given_key", ("given_name", "surname1")),
    (
        "l.given_key = r.given_key AND left(l.surname1, 3) = left(r.surname1, 3)",
        ("given_name", "surname1"),
    ),
)


#: Records above which a table is linked with :data:`_LARGE_TABLE_RULES`.
LARGE_TABLE = 100_000

#: Blocking rules for large tables. The rules above compare every pair sharing a common name's
#: keys (María García), whose number grows as the square of the table: 15 million pairs at
#: 100,000 records, a billion and a half at a million. Each rule here adds a field that splits
#: those blocks (birth year, second surname, port and quarter of the attempt), so pairs grow
#: about in step with the records; the price is a lower blocking recall (0.967 against 0.992
#: at 100,000 records, docs/benchmarks/linkage.md). Records with no birth information at all
#: (a name-only list) still meet their namesakes, one side at a time so the filter can be
#: applied before the join.
_LARGE_TABLE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "l.given_key = r.given_key AND l.surname1_key = r.surname1_key "
        "AND l.birth_year = r.birth_year",
        ("given_name", "surname1", "birth_year"),
    ),
    (
        "l.given_key = r.given_key AND l.surname1_key = r.surname1_key "
        "AND l.surname2_key = r.surname2_key",
        ("given_name", "surname1"),
    ),
    (
        "l.given_key = r.given_key AND l.surname1_key = r.surname1_key AND l.port = r.port "
        "AND floor(l.encounter_day / 90) = floor(r.encounter_day / 90)",
        ("given_name", "surname1", "port"),
    ),
    (
        "l.given_key = r.given_key AND l.surname1_key = r.surname1_key AND l.birth_first IS NULL",
        ("given_name", "surname1"),
    ),
    (
        "l.given_key = r.given_key AND l.surname1_key = r.surname1_key AND r.birth_first IS NULL",
        ("given_name", "surname1"),
    ),
    ("l.surname1 = r.surname1 AND l.birth_date = r.birth_date", ("surname1", "birth_date")),
    ("l.given_key = r.given_key AND l.birth_date = r.birth_date", ("given_name", "birth_date")),
    (
        "l.surname1_key = r.surname2_key AND l.given_key = r.given_key "
        "AND l.birth_year = r.birth_year",
        ("given_name", "surname1", "birth_year"),
    ),
    (
        "l.surname2_key = r.surname1_key AND l.given_key = r.given_key "
        "AND l.birth_year = r.birth_year",
        ("given_name", "surname1", "birth_year"),
    ),
    (
        "l.given_name = r.surname1 AND l.surname1 = r.given_name AND l.birth_year = r.birth_year",
        ("given_name", "surname1", "birth_year"),
    ),
    ("l.phone = r.phone", ("phone",)),
    ("l.postcode = r.postcode AND l.birth_date = r.birth_date", ("postcode", "birth_date")),
    (
        "l.address = r.address AND l.postcode = r.postcode AND l.given_key = r.given_key",
        ("address", "postcode", "given_name"),
    ),
    (
        "l.name_tokens = r.name_tokens AND l.birth_year = r.birth_year",
        ("given_name", "surname1", "birth_year"),
    ),
    (
        "l.given_name = r.given_name AND l.port = r.port AND l.encounter_day = r.encounter_day",
        ("given_name", "port"),
    ),
    (
        "l.surname1 = r.surname1 AND l.port = r.port AND l.encounter_day = r.encounter_day",
        ("surname1", "port"),
    ),
)


def blocking_rules(available: Collection[str], *, large: bool = False) -> list[str]:
    """The prediction blocking rules (SQL on ``l.``/``r.``) usable on these columns; with
    ``large``, the rules for large tables (see :data:`LARGE_TABLE`)."""
    rules = _LARGE_TABLE_RULES if large else _PREDICTION_RULES
    return [sql for sql, needs in rules if set(needs) <= set(available)]


def training_rules(available: Collection[str]) -> list[str]:
    """Blocking rules for the EM passes: each leaves some comparisons free to be estimated.

    Pairs sharing a full birth date (or, lacking dates, a surname or a given name) teach the m
    values of names; pairs sharing the whole name then teach those of dates, sex and nationality.
    The name pass comes second and is strict because common names (María García) would
    otherwise flood it with different people and blur what a match looks like.
    """
    rules = []
    if "birth_date" in available:
        rules.append("l.birth_date = r.birth_date")
    elif "surname1" in available:
        rules.append("l.surname1 = r.surname1")
    if "given_name" in available and "birth_date" not in available:
        rules.append("l.given_name = r.given_name")
    if {"given_name", "surname1"} <= set(available):
        rules.append(
            "l.given_name = r.given_name AND l.surname1 = r.surname1 AND l.surname2 = r.surname2"
        )
    return rules
