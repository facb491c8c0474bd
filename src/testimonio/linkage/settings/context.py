"""Comparisons of what surrounds a person: sex, nationality, address, phone, the port and day
of the encounter, and which two lists a pair of records comes from. An address in one column
keeps its simple comparison; an address with a postcode or locality gets
:func:`_split_address_comparison`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from splink.comparison_level_library import ElseLevel
from splink.comparison_library import CustomComparison

from testimonio.linkage.settings.levels import _level, _neutral, _null
from testimonio.linkage.settings.people import _BIRTH_GAP, _INITIAL, _SECOND_GIVEN_DIFFERS

if TYPE_CHECKING:
    # Splink 5 has no public name for the base classes of its comparisons and levels, which
    # SettingsCreator and CustomComparison take lists of (lists are invariant, so the public
    # subclasses will not do). Annotations only, never imported at run time.
    from splink.internals.comparison_level_creator import ComparisonLevelCreator

#: Encounter levels and their SQL, from the closest attempts to the same port at any time.
ENCOUNTER_LEVELS: tuple[tuple[str, str], ...] = (
    ("same port, within three days", "abs(encounter_day_l - encounter_day_r) <= 3"),
    ("same port, within two months", "abs(encounter_day_l - encounter_day_r) <= 60"),
    ("same port", "TRUE"),
)


#: Two records' given names could be one person's (same key, nickname, alike, or missing).
_GIVEN_NAMES_ALIKE = (
    "(given_key_l = given_key_r OR list_has_any(given_forms_l, given_forms_r) OR "
    "jaro_winkler_similarity(given_name_l, given_name_r) >= 0.8 OR "
    "given_name_l IS NULL OR given_name_r IS NULL)"
)


def _encounter_comparison(chance: Sequence[float] | None = None) -> CustomComparison:
    """Port and day of the encounter: people return to the same port, and two organisations
    may record the same attempt. A family crosses together, so a shared attempt counts only
    when the given names are alike and the births agree; otherwise it is no evidence either
    way (it would merge parents, children and siblings who share surnames).

    ``chance`` is how often two records picked at random fall in each of
    :data:`ENCOUNTER_LEVELS` (see :func:`encounter_chance_sql`): it is fixed rather than trained,
    because the level that sets relatives aside leaves to the others only pairs with alike
    given names, and sampling would count that name evidence a second time.
    """
    alike = _GIVEN_NAMES_ALIKE
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        _null("port_l IS NULL OR port_r IS NULL"),
        _neutral(
            f"port_l = port_r AND abs(encounter_day_l - encounter_day_r) <= 60 AND "
            f"(NOT {alike} OR {_SECOND_GIVEN_DIFFERS} OR {_BIRTH_GAP} > 5)",
            "same attempt, given names or births differ (relatives cross together)",
        ),
    ]
    for index, (label, sql) in enumerate(ENCOUNTER_LEVELS):
        level = _level(f"port_l = port_r AND {sql}", label)
        if chance is not None:
            level.configure(u_probability=max(chance[index], 1e-6), fix_u_probability=True)
        levels.append(level)
    levels.append(ElseLevel())
    return CustomComparison(
        levels, output_column_name="encounter", comparison_description="port and day of encounter"
    )


def encounter_chance_sql(table: str, sample: int = 3000) -> str:
    """SQL giving, for pairs of ``sample`` x ``sample`` random records that both have a port,
    the share falling in each of :data:`ENCOUNTER_LEVELS` (exclusive, in order)."""
    shares, previous = [], "FALSE"
    for _, sql in ENCOUNTER_LEVELS:
        condition = f"port_l = port_r AND ({sql}) AND NOT ({previous})"
        shares.append(f"avg(CASE WHEN {condition} THEN 1.0 ELSE 0.0 END)")
        previous = f"{previous} OR (port_l = port_r AND ({sql}))"
    side = "SELECT port AS port_{0}, encounter_day AS encounter_day_{0} FROM {1} "
    side += "WHERE port IS NOT NULL USING SAMPLE {2} ROWS (reservoir, 7)"
    left, right = side.format("l", table, sample), side.format("r", table, sample)
    # Our own column names and a table name we chose: nothing here comes from input.
    return f"SELECT {', '.join(shares)} FROM ({left}) CROSS JOIN ({right})"  # noqa: S608


#: How often one person's records disagree on sex: a form filled in by gender identity and
#: another by documents (transgender women are a known share of this population), or a slip.
#: Fixed, not trained: where the lists never disagree EM drives it to exactly zero, which
#: Splink cannot represent and which would forbid the link outright.
_SEX_DIFFERS_IN_MATCHES = 0.01


def _exact_comparison(
    column: str, description: str, differs_in_matches: float | None = None
) -> CustomComparison:
    differs = ElseLevel()
    if differs_in_matches is not None:
        differs.configure(m_probability=differs_in_matches, fix_m_probability=True)
    return CustomComparison(
        [
            _null(f"{column}_l IS NULL OR {column}_r IS NULL"),
            _level(f"{column}_l = {column}_r", "same"),
            differs,
        ],
        output_column_name=column,
        comparison_description=description,
    )


def _address_comparison() -> CustomComparison:
    return CustomComparison(
        [
            _null("address_l IS NULL OR address_r IS NULL"),
            _level("jaro_winkler_similarity(address_l, address_r) >= 0.9", "nearly the same"),
            ElseLevel(),
        ],
        output_column_name="address",
        comparison_description="address",
    )


#: Both records place the person in the same postcode, or (lacking one) the same locality.
_SAME_PLACE = (
    "(postcode_l = postcode_r OR ((postcode_l IS NULL OR postcode_r IS NULL) "
    "AND locality_l = locality_r))"
)
_STREET_ALIKE = "jaro_winkler_similarity(address_l, address_r) >= 0.9"
#: One record's street address is all among the other's words (one list wrote more of it).
_STREET_WITHIN = (
    "least(len(address_tokens_l), len(address_tokens_r)) >= 2 AND "
    "(list_has_all(address_tokens_l, address_tokens_r) OR "
    "list_has_all(address_tokens_r, address_tokens_l))"
)


def _split_address_comparison() -> CustomComparison:
    """An address with its parts: the street address (number, street, second line) alike by
    Jaro-Winkler or word overlap, the postcode exact, the locality exact. People move and
    households share an address, so every level's weight is trained (u from random pairs, m
    by EM), none fixed: the data say how much a shared address is worth. A household shares
    an address and a surname: a shared address with given names or births that differ is no
    evidence either way (as a shared attempt is for relatives, :func:`_encounter_comparison`),
    or it would add to the surname's weight and merge parent and child."""
    return CustomComparison(
        [
            _null(
                "(address_l IS NULL OR address_r IS NULL) AND (postcode_l IS NULL OR "
                "postcode_r IS NULL) AND (locality_l IS NULL OR locality_r IS NULL)"
            ),
            _neutral(
                f"(address_l = address_r OR {_STREET_ALIKE} OR {_STREET_WITHIN}) AND "
                f"(NOT ({_GIVEN_NAMES_ALIKE} OR {_INITIAL}) OR {_SECOND_GIVEN_DIFFERS} OR "
                f"{_BIRTH_GAP} > 366)",
                "same address, given names or births differ (a household)",
            ),
            _level(f"address_l = address_r AND {_SAME_PLACE}", "same street address and place"),
            _level(f"{_STREET_ALIKE} AND {_SAME_PLACE}", "street address alike, same place"),
            _level(
                f"(address_l = address_r OR {_STREET_ALIKE} OR {_STREET_WITHIN}) AND "
                f"(postcode_l IS NULL OR postcode_r IS NULL) AND "
                f"(locality_l IS NULL OR locality_r IS NULL)",
                "street address alike, place not recorded on one side",
            ),
            _level(f"{_STREET_WITHIN} OR {_STREET_ALIKE}", "street address alike, place differs"),
            _level(
                "postcode_l = postcode_r AND locality_l = locality_r",
                "same postcode and locality, street differs",
            ),
            _level("postcode_l = postcode_r", "same postcode"),
            _level("locality_l = locality_r", "same locality"),
            ElseLevel(),
        ],
        output_column_name="address",
        comparison_description="address: street, locality and postcode",
    )


#: Name of the comparison of which lists two records come from.
LISTS = "lists"

#: Most sources given a level per pair of sources; beyond, only same source or not (the
#: levels grow as the square of the sources and each needs matches to be trained).
MAX_SOURCE_PAIR_LEVELS = 6


def _quoted(text: str) -> str:
    """``text`` as an SQL string literal (a file name may hold a quote)."""
    return "'" + text.replace("'", "''") + "'"


def _source_comparison(sources: Sequence[str]) -> CustomComparison:
    """Which two lists the records come from: the prior for a pair, per pair of lists.

    Lists overlap unequally: a declaration is nearly always of someone on the legal-aid
    intake log, while two rows of one log are rarely the same person. One prior for every pair
    of records cannot say so; this comparison can, and it is trained like the others (u from
    random pairs, m by EM), so the data say how much each pair of lists overlaps. A name-only
    record (a declaration's index) gains the evidence of the list it is on.
    """
    levels: list[ComparisonLevelCreator | dict[str, Any]] = []
    if len(sources) <= MAX_SOURCE_PAIR_LEVELS:
        for index, first in enumerate(sources):
            for second in sources[index:]:
                a, b = _quoted(first), _quoted(second)
                sql = f"(source_l = {a} AND source_r = {b}) OR (source_l = {b} AND source_r = {a})"
                levels.append(_level(sql, f"{first} and {second}"))
    else:
        levels.append(_level("source_l = source_r", "same list"))
    # Sources a saved model never saw (a model reused on new files) weigh nothing either way.
    other = ElseLevel()
    other.configure(
        m_probability=0.5, u_probability=0.5, fix_m_probability=True, fix_u_probability=True
    )
    levels.append(other)
    return CustomComparison(
        levels, output_column_name=LISTS, comparison_description="the lists the records are on"
    )
