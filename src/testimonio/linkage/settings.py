"""The Splink model of this population: comparisons, blocking rules and training passes.

Comparisons grade agreement from strongest to weakest evidence, with levels written for how
these names and dates go wrong: nicknames (Chuy/Jesús), given name and surname swapped, only the
maternal surname recorded, day and month swapped, year-only birth dates. Blocking rules are
several cheap equalities on phonetic keys and birth year, so that a person is missed only when
every one of them fails (the blocking recall is reported by :mod:`testimonio.linkage.evaluation`).

What must always hold: a comparison or rule is used only when its columns hold data in the
tables at hand, so a table without birth dates still links on names.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from splink import SettingsCreator
from splink.comparison_level_library import CustomLevel, ElseLevel
from splink.comparison_library import CustomComparison

if TYPE_CHECKING:
    # Splink 5 has no public name for the base classes of its comparisons and levels, which
    # SettingsCreator and CustomComparison take lists of (lists are invariant, so the public
    # subclasses will not do). Annotations only, never imported at run time.
    from splink.internals.comparison_creator import ComparisonCreator
    from splink.internals.comparison_level_creator import ComparisonLevelCreator

__all__ = [
    "ENCOUNTER_LEVELS",
    "LARGE_TABLE",
    "LISTS",
    "TF_WEIGHT",
    "blocking_rules",
    "comparisons",
    "create_settings",
    "encounter_chance_sql",
    "training_rules",
]

_DIALECT = "duckdb"

#: Share of the term-frequency adjustment applied to names (Splink's ``tf_adjustment_weight``).
#: A name rare in the whole population is common among people of one nationality (Haitian,
#: Eritrean, K'iche' names), and nationality is compared too: the full adjustment would count
#: the same evidence twice and link namesakes of a small community. Half is a judgement, not a
#: fit; docs/benchmarks/linkage.md shows it on three simulated worlds.
TF_WEIGHT = 0.5


def _level(sql: str, label: str, *, tf_column: str | None = None) -> CustomLevel:
    level = CustomLevel(sql, label_for_charts=label, base_dialect_str=_DIALECT)
    if tf_column is not None:
        level.configure(tf_adjustment_column=tf_column, tf_adjustment_weight=TF_WEIGHT)
    return level


def _null(sql: str) -> CustomLevel:
    level = CustomLevel(sql, label_for_charts="not recorded", base_dialect_str=_DIALECT)
    level.configure(is_null_level=True)
    return level


def _neutral(sql: str, label: str) -> CustomLevel:
    """A level that adds no evidence: it stops evidence already counted elsewhere from being
    counted against the pair by a later level (a swapped surname would otherwise fall to else).
    """
    level = CustomLevel(sql, label_for_charts=label, base_dialect_str=_DIALECT)
    level.configure(
        m_probability=0.5, u_probability=0.5, fix_m_probability=True, fix_u_probability=True
    )
    return level


_SWAPPED = "given_name_l = surname1_r AND surname1_l = given_name_r"

#: Both records have a second given name, and they differ (José Luis, José Miguel).
_SECOND_GIVEN_DIFFERS = (
    "(given_second_l <> given_second_r AND "
    "jaro_winkler_similarity(given_second_l, given_second_r) < 0.8)"
)

#: The same words (one record's all among the other's, at least three), cut into given names
#: and surnames in different places: a full name written surnames first, or a compound given
#: name (María José, Juan de Dios) read as a surname. Weighed once, in the given name.
_RESPLIT = (
    "given_name_l IS DISTINCT FROM given_name_r AND "
    "least(len(name_tokens_l), len(name_tokens_r)) >= 3 AND "
    "(list_has_all(name_tokens_l, name_tokens_r) OR list_has_all(name_tokens_r, name_tokens_l))"
)


def _given_name_comparison() -> CustomComparison:
    jaro = "jaro_winkler_similarity(given_name_l, given_name_r)"
    return CustomComparison(
        [
            _null("given_name_l IS NULL OR given_name_r IS NULL"),
            _level(
                f"given_name_l = given_name_r AND {_SECOND_GIVEN_DIFFERS}",
                "same first given name, second differs (siblings: José Luis, José Miguel)",
            ),
            _level("given_name_l = given_name_r", "same", tf_column="given_name"),
            _level(_SWAPPED, "given name and surname swapped"),
            _level(_RESPLIT, "the same words cut in another place (surnames first, compound name)"),
            _level("list_has_any(given_forms_l, given_forms_r)", "nickname or compound name"),
            _level("given_key_l = given_key_r", "sounds alike (Spanish phonetic key)"),
            _level(f"{jaro} >= 0.92", "Jaro-Winkler >= 0.92"),
            _level(f"{jaro} >= 0.8", "Jaro-Winkler >= 0.8"),
            _level(
                "list_contains(name_tokens_r, given_name_l) OR "
                "list_contains(name_tokens_l, given_name_r)",
                "one's given name is a word of the other's name (split elsewhere)",
            ),
            ElseLevel(),
        ],
        output_column_name="given_name",
        comparison_description="first given name",
    )


def _surname_comparison() -> CustomComparison:
    jaro = "jaro_winkler_similarity(surname1_l, surname1_r)"
    return CustomComparison(
        [
            _null("surname1_l IS NULL OR surname1_r IS NULL"),
            _level(
                "surnames_l = surnames_r",
                "both surnames the same",
                tf_column="surnames",
            ),
            _neutral(_SWAPPED, "given name and surname swapped (weighed in given name)"),
            _neutral(_RESPLIT, "the same words cut in another place (weighed in given name)"),
            _level(
                "surname1_l = surname2_r AND surname2_l = surname1_r",
                "both surnames, in the other order",
            ),
            _level(
                "surname1_l = surname1_r AND (surname2_l IS NULL OR surname2_r IS NULL)",
                "paternal surname the same, maternal missing on one side",
                tf_column="surname1",
            ),
            _level(
                "surname1_l = surname1_r AND (surname2_key_l = surname2_key_r OR "
                "jaro_winkler_similarity(surname2_l, surname2_r) >= 0.88)",
                "paternal the same, maternal alike (typo or spelling)",
            ),
            _level("surname1_l = surname1_r", "paternal the same, maternal differs"),
            _level(
                "surname1_l = surname2_r OR surname2_l = surname1_r",
                "one's paternal is the other's maternal (one missing or order swapped)",
            ),
            _level(
                "surname1_key_l = surname1_key_r AND surname2_l = surname2_r",
                "paternal sounds alike, maternal the same",
            ),
            _level("surname1_key_l = surname1_key_r", "sounds alike (Spanish phonetic key)"),
            _level(f"{jaro} >= 0.9", "Jaro-Winkler >= 0.9"),
            _level(f"{jaro} >= 0.8", "Jaro-Winkler >= 0.8"),
            _level(
                "list_contains(name_tokens_r, surname1_l) OR "
                "list_contains(name_tokens_l, surname1_r)",
                "one's surname is a word of the other's name (split elsewhere)",
            ),
            ElseLevel(),
        ],
        output_column_name="surnames",
        comparison_description="paternal and maternal surnames",
    )


#: Days between two records' possible birth spans (0 or less: the spans overlap).
_BIRTH_GAP = "greatest(birth_first_l, birth_first_r) - least(birth_last_l, birth_last_r)"


#: How often one person's records put their births more than three years apart (a mistyped
#: year). Fixed, not trained: without labels, EM takes a parent and child of the same name
#: who cross together for one person and learns that births years apart are common in matches.
_BIRTHS_YEARS_APART_IN_MATCHES = 0.002


def _full_dates_differ() -> CustomLevel:
    """Two full dates under three years apart that are neither a typo nor a swap: siblings,
    or namesakes. Its m is fixed like that of births years apart, for the same reason."""
    level = CustomLevel(
        f"birth_date_l IS NOT NULL AND birth_date_r IS NOT NULL AND {_BIRTH_GAP} <= 1100",
        label_for_charts="two full dates that differ, under three years apart (siblings)",
        base_dialect_str=_DIALECT,
    )
    level.configure(m_probability=_BIRTHS_YEARS_APART_IN_MATCHES, fix_m_probability=True)
    return level


def _years_apart() -> CustomLevel:
    level = CustomLevel(
        f"{_BIRTH_GAP} > 1100",
        label_for_charts="more than three years apart",
        base_dialect_str=_DIALECT,
    )
    level.configure(m_probability=_BIRTHS_YEARS_APART_IN_MATCHES, fix_m_probability=True)
    return level


#: How often one person's two full birth dates differ in a single digit (a typo). Fixed, not
#: trained: where lists hold no such typos EM drives it to exactly zero, which Splink cannot
#: represent (it stops with an error), and a zero would forbid the typo outright.
_ONE_DIGIT_TYPOS_IN_MATCHES = 0.005


def _one_digit_differs() -> CustomLevel:
    level = CustomLevel(
        "levenshtein(birth_date_l, birth_date_r) <= 1",
        label_for_charts="one digit differs",
        base_dialect_str=_DIALECT,
    )
    level.configure(m_probability=_ONE_DIGIT_TYPOS_IN_MATCHES, fix_m_probability=True)
    return level


def _birth_comparison() -> CustomComparison:
    """Birth date, year or age: each record's span of possible birth days, then how far apart.

    A year-only date or an age on a known day is a span of about a year; two spans that
    overlap are consistent, and spans years apart (a parent and child with the same name) are
    strong evidence of two people.
    """
    partial = "(birth_date_l IS NULL OR birth_date_r IS NULL)"
    return CustomComparison(
        [
            _null("birth_first_l IS NULL OR birth_first_r IS NULL"),
            _level("birth_date_l = birth_date_r", "same full date"),
            _level(
                "birth_year_l = birth_year_r AND birth_month_l = birth_day_r AND "
                "birth_day_l = birth_month_r",
                "day and month swapped",
            ),
            _one_digit_differs(),
            _level(f"{partial} AND {_BIRTH_GAP} <= 5", "consistent (year, month or age)"),
            _full_dates_differ(),
            _level(f"{_BIRTH_GAP} <= 366", "up to a year apart"),
            _level(f"{_BIRTH_GAP} <= 1100", "up to three years apart"),
            _years_apart(),
        ],
        output_column_name="birth_date",
        comparison_description="birth date, year or age on a known day",
    )


#: Encounter levels and their SQL, from the closest attempts to the same port at any time.
ENCOUNTER_LEVELS: tuple[tuple[str, str], ...] = (
    ("same port, within three days", "abs(encounter_day_l - encounter_day_r) <= 3"),
    ("same port, within two months", "abs(encounter_day_l - encounter_day_r) <= 60"),
    ("same port", "TRUE"),
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
    alike = (
        "(given_key_l = given_key_r OR list_has_any(given_forms_l, given_forms_r) OR "
        "jaro_winkler_similarity(given_name_l, given_name_r) >= 0.8 OR "
        "given_name_l IS NULL OR given_name_r IS NULL)"
    )
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


def comparisons(
    available: Collection[str],
    encounter_chance: Sequence[float] | None = None,
    sources: Sequence[str] = (),
) -> list[ComparisonCreator | dict[str, Any]]:
    """The comparisons whose columns hold data (``available`` names the non-empty columns);
    with two or more ``sources``, also which pair of lists a pair of records comes from."""
    chosen: list[ComparisonCreator | dict[str, Any]] = []
    if "given_name" in available:
        chosen.append(_given_name_comparison())
    if "surname1" in available:
        chosen.append(_surname_comparison())
    if "birth_first" in available:
        chosen.append(_birth_comparison())
    if "sex" in available:
        chosen.append(_exact_comparison("sex", "sex", _SEX_DIFFERS_IN_MATCHES))
    if "nationality" in available:
        chosen.append(_exact_comparison("nationality", "nationality"))
    if "address" in available:
        chosen.append(_address_comparison())
    if "phone" in available:
        chosen.append(_exact_comparison("phone", "phone (last 8 digits)"))
    if "port" in available:
        chosen.append(_encounter_comparison(encounter_chance))
    if len(sources) > 1:
        chosen.append(_source_comparison(sources))
    return chosen


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


def create_settings(
    available: Collection[str],
    encounter_chance: Sequence[float] | None = None,
    sources: Sequence[str] = (),
    *,
    large: bool = False,
) -> SettingsCreator:
    """Settings for deduplicating the union of all tables (which also links across them);
    ``large`` picks the blocking rules for large tables."""
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons(available, encounter_chance, sources),
        blocking_rules_to_generate_predictions=[
            {"blocking_rule": sql, "sql_dialect": _DIALECT}
            for sql in blocking_rules(available, large=large)
        ],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["source", "record_id"],
        unique_id_column_name="unique_id",
        max_iterations=20,
    )
