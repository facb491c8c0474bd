"""A reviewer's decisions on a proposed profile, as a person would type them.

Review notes name a field, its column and rows but never the values (they are printed to a
terminal), so the reviewer looks the values up in the file: here, every value of a flagged
field's column that the proposal left unmapped.
"""

from __future__ import annotations

from collections.abc import Callable

from testimonio.ingest.mapping import MappingProfile
from testimonio.ingest.tables import Table


def map_flagged_values(table: Table, profile: MappingProfile, decide: Callable[[str], str]) -> None:
    """Map every value the proposal could not to ``decide(field)``."""
    for note in profile.review:
        if "matched no" not in note and "not mapped" not in note:
            continue
        name = note.split(": ", 1)[0]
        mappings, source = profile.fields, table
        if name.startswith("repeat.") and profile.repeat is not None:
            name, mappings = name.removeprefix("repeat."), profile.repeat.fields
            source = table.repeats[profile.repeat.sheet]
        mapping = mappings[name]
        for cell in source.column(mapping.column):
            pieces = cell.split(mapping.separator) if mapping.separator else [cell]
            for piece in (piece.strip() for piece in pieces):
                if piece and piece not in mapping.values:
                    mapping.values[piece] = decide(name)
