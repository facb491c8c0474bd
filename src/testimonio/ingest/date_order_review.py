"""Date columns whose order a person must confirm: every date reads both day first and month
first (03/09/2017), so nothing in the file shows the order and a guess would misread every row.

The proposal leaves such a column's ``date_order`` unset with a review note
(:func:`ambiguous_date_note`); an import refuses it, naming the column, until the user says
the order (``--date-order``, the web's required choice) or the profile does
(:func:`confirm_date_orders`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from testimonio.errors import InputError
from testimonio.ingest.fields import FIELDS
from testimonio.ingest.tables import Table
from testimonio.partial_dates import date_order_is_ambiguous

if TYPE_CHECKING:
    from testimonio.ingest.mapping import FieldMapping, MappingProfile

__all__ = ["ambiguous_date_note", "confirm_date_orders", "unconfirmed_date_columns"]


def ambiguous_date_note(our_field: str, column: str) -> str:
    return (
        f"{our_field}: column {column!r} reads as a real date day first and month first "
        "(03/09/2017: 3 September or 9 March) on every row, so its date_order is not guessed; "
        "set it to DMY or MDY"
    )


def unconfirmed_date_columns(table: Table, profile: MappingProfile) -> list[str]:
    """The mapped date columns whose order the profile leaves open although their values
    read both ways (see :func:`~testimonio.partial_dates.date_order_is_ambiguous`)."""
    found = []
    groups: list[tuple[Table, dict[str, FieldMapping]]] = [(table, profile.fields)]
    if profile.repeat is not None and profile.repeat.sheet in table.repeats:
        groups.append((table.repeats[profile.repeat.sheet], profile.repeat.fields))
    for part, mappings in groups:
        for name, mapping in mappings.items():
            if FIELDS[name].kind != "date" or mapping.date_order is not None:
                continue
            if mapping.column in part.header and date_order_is_ambiguous(
                part.column(mapping.column)
            ):
                found.append(mapping.column)
    return found


def confirm_date_orders(
    table: Table, profile: MappingProfile, date_order: str | None, *, how: str
) -> None:
    """Give every ambiguous date column ``date_order`` (the user's choice), or refuse the
    import naming the columns: a column read in the wrong order turns 3 September into
    9 March for every row, and nothing in the file can show it. ``how`` says how to choose."""
    columns = unconfirmed_date_columns(table, profile)
    if not columns:
        return
    if date_order is None:
        raise InputError(
            f"the date column{'s' if len(columns) > 1 else ''} "
            f"{', '.join(repr(c) for c in columns)} read as real dates both day first and "
            f"month first, so the order is not guessed; {how}",
            file=table.file,
        )
    mappings = [
        *profile.fields.values(),
        *(profile.repeat.fields.values() if profile.repeat else []),
    ]
    for mapping in mappings:
        if mapping.column in columns and mapping.date_order is None:
            mapping.date_order = date_order
