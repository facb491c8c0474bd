"""Comparisons of who a record names: given name, surnames, and birth date, year or age.

Their levels are written for how these names and dates go wrong: nicknames (Chuy/Jesús), given
name and surname swapped, only the maternal surname recorded, day and month swapped, year-only
birth dates.
"""

from __future__ import annotations

from splink.comparison_level_library import CustomLevel, ElseLevel
from splink.comparison_library import CustomComparison

from testimonio.linkage.settings.levels import DIALECT, _level, _neutral, _null

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


#: One record gives only an initial, and it is the other's first letter (J. and John).
_INITIAL = (
    "(length(given_name_l) = 1 AND given_name_l = left(given_name_r, 1)) OR "
    "(length(given_name_r) = 1 AND given_name_r = left(given_name_l, 1))"
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
            _level(_INITIAL, "one is the other's initial (J. for John)"),
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
        base_dialect_str=DIALECT,
    )
    level.configure(m_probability=_BIRTHS_YEARS_APART_IN_MATCHES, fix_m_probability=True)
    return level


def _years_apart() -> CustomLevel:
    level = CustomLevel(
        f"{_BIRTH_GAP} > 1100",
        label_for_charts="more than three years apart",
        base_dialect_str=DIALECT,
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
        base_dialect_str=DIALECT,
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
