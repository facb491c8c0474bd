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

from testimonio.linkage.settings.blocking import LARGE_TABLE, blocking_rules, training_rules
from testimonio.linkage.settings.context import (
    _SEX_DIFFERS_IN_MATCHES,
    ENCOUNTER_LEVELS,
    LISTS,
    _address_comparison,
    _encounter_comparison,
    _exact_comparison,
    _source_comparison,
    _split_address_comparison,
    encounter_chance_sql,
)
from testimonio.linkage.settings.levels import DIALECT, TF_WEIGHT
from testimonio.linkage.settings.people import (
    _birth_comparison,
    _given_name_comparison,
    _surname_comparison,
)

if TYPE_CHECKING:
    # Splink 5 has no public name for the base classes of its comparisons and levels, which
    # SettingsCreator and CustomComparison take lists of (lists are invariant, so the public
    # subclasses will not do). Annotations only, never imported at run time.
    from splink.internals.comparison_creator import ComparisonCreator

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
    if {"postcode", "locality"} & set(available):
        chosen.append(_split_address_comparison())
    elif "address" in available:
        chosen.append(_address_comparison())
    if "phone" in available:
        chosen.append(_exact_comparison("phone", "phone (last 8 digits)"))
    if "port" in available:
        chosen.append(_encounter_comparison(encounter_chance))
    if len(sources) > 1:
        chosen.append(_source_comparison(sources))
    return chosen


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
            {"blocking_rule": sql, "sql_dialect": DIALECT}
            for sql in blocking_rules(available, large=large)
        ],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["source", "record_id"],
        unique_id_column_name="unique_id",
        max_iterations=20,
    )
