"""The three kinds of level every comparison is built from, in the SQL dialect linkage runs in.

A name level may carry a share of Splink's term-frequency adjustment (:data:`TF_WEIGHT`).
"""

from __future__ import annotations

from splink.comparison_level_library import CustomLevel

DIALECT = "duckdb"

#: Share of the term-frequency adjustment applied to names (Splink's ``tf_adjustment_weight``).
#: A name rare in the whole population is common among people of one nationality (Haitian,
#: Eritrean, K'iche' names), and nationality is compared too: the full adjustment would count
#: the same evidence twice and link namesakes of a small community. Half is a judgement, not a
#: fit; docs/benchmarks/linkage.md shows it on three simulated worlds.
TF_WEIGHT = 0.5


def _level(sql: str, label: str, *, tf_column: str | None = None) -> CustomLevel:
    level = CustomLevel(sql, label_for_charts=label, base_dialect_str=DIALECT)
    if tf_column is not None:
        level.configure(tf_adjustment_column=tf_column, tf_adjustment_weight=TF_WEIGHT)
    return level


def _null(sql: str) -> CustomLevel:
    level = CustomLevel(sql, label_for_charts="not recorded", base_dialect_str=DIALECT)
    level.configure(is_null_level=True)
    return level


def _neutral(sql: str, label: str) -> CustomLevel:
    """A level that adds no evidence: it stops evidence already counted elsewhere from being
    counted against the pair by a later level (a swapped surname would otherwise fall to else).
    """
    level = CustomLevel(sql, label_for_charts=label, base_dialect_str=DIALECT)
    level.configure(
        m_probability=0.5, u_probability=0.5, fix_m_probability=True, fix_u_probability=True
    )
    return level
