"""What an import would change in a source, said before anything is written.

Why: an import that updates existing records (the same source and record key, other values)
replaces what earlier files said about people; a wrong source or a re-numbered list would
overwrite identities silently. So an import shows how many records are new, updated and
unchanged and, for the updated ones, which fields change, counted by field; an update needs the
user's confirmation (``--allow-updates``, the web's "update N existing records" tick).

What must always hold: the summary names fields and counts, never a value. Comparing an
identity field opens the record's sealed identity in memory, inside the import (which reseals
it anyway); nothing of it leaves this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from testimonio.errors import InputError
from testimonio.ingest import ValidatedRow
from testimonio.web.cases.models import Record, Source
from testimonio.web.imports.row_values import identity_fields, keyed_record_key, record_attributes
from testimonio.web.keys.identity import open_identity
from testimonio.web.keys.ring import key_ring, row_hasher

__all__ = [
    "ChangePreview",
    "ChangeSummary",
    "UpdatesNotAllowed",
    "field_changes",
    "preview_changes",
]

#: Identity fields compared (the provenance is always resealed: it names the new file).
IDENTITY_COMPARED = ("given_names", "surnames", "full_name", "birth_date", "phone")
#: What a changed row changes when none of the record's own fields differ.
OTHER_COLUMNS = "other columns only (encounters are kept as they were)"


@dataclass
class ChangeSummary:
    """How many records an import creates, updates and leaves alone, and per field how many
    of the updated records it changes."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    fields: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary as a person reads it (command line and page)."""
        lines = [f"{self.created:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged"]
        lines += [
            f"  {name}: changes in {count:,} record{'s' if count != 1 else ''}"
            for name, count in self.fields.items()
        ]
        return lines


class UpdatesNotAllowed(InputError):
    """The import would update existing records and the user has not confirmed it."""

    def __init__(self, summary: ChangeSummary, how: str = "--allow-updates") -> None:
        self.summary = summary
        super().__init__(
            f"this import would update {summary.updated:,} existing record(s) of the source, "
            f"so nothing was written; check the changes listed and confirm with {how}"
        )


def field_changes(source: Source, changed: Sequence[tuple[str, ValidatedRow]]) -> dict[str, int]:
    """Per field, how many records the changed rows (keyed record key, row) change; a field
    name and a count each, most changed first."""
    counts: Counter[str] = Counter()
    for key, row in changed:
        record = Record.objects.filter(source=source, external_id=key).select_related(
            "nationality", "language"
        )
        counts.update(_changed_fields(record.latest("pk"), row) or [OTHER_COLUMNS])
    return dict(counts.most_common())


def _changed_fields(record: Record, row: ValidatedRow) -> list[str]:
    values = record_attributes(row.attributes)
    before = {
        "sex": record.sex,
        "gender_identity": record.gender_identity,
        "age_band": record.age_band,
        "nationality": record.nationality.code if record.nationality else "",
        "language": record.language.code if record.language else "",
    }
    changed = [name for name, value in before.items() if values[name] != value]
    stored, new = open_identity(record), identity_fields(row)
    return changed + [
        name for name in IDENTITY_COMPARED if getattr(stored, name) != getattr(new, name)
    ]


class ChangePreview:
    """What importing rows into ``source`` (None: a new source) would do, written nowhere.

    Fed a chunk of validated rows at a time (:meth:`add`), so a large upload's preview never
    holds all its rows (only those that would update a record, to name their fields). Sorted
    as the import sorts them: a row whose key the source (or an earlier row of the file) has
    is unchanged when its keyed hash is the same, else an update.
    """

    def __init__(self, source: Source | None) -> None:
        self.source = source
        self.counts = ChangeSummary()
        self.changed: list[tuple[str, ValidatedRow]] = []
        self.known: dict[str, str] = {}
        self.stored: set[str] = set()
        if source is not None:
            self.hasher = row_hasher(key_ring().current)
            self.known = dict(
                Record.objects.filter(source=source).values_list("external_id", "raw_hash")
            )
            self.stored = set(self.known)

    def add(self, rows: Sequence[ValidatedRow]) -> None:
        """Count one chunk of rows, in file order."""
        if self.source is None:
            self.counts.created += len(rows)
            return
        for row in rows:
            key = keyed_record_key(self.hasher, self.source.pk, row)
            digest = self.hasher.row_hash(row.provenance.digest)
            if key not in self.known:
                self.counts.created += 1
            elif self.known[key] == digest:
                self.counts.unchanged += 1
            else:
                self.counts.updated += 1
                if key in self.stored:  # a row repeated in the file changes a record made here
                    self.changed.append((key, row))
            self.known[key] = digest

    def summary(self) -> ChangeSummary:
        """The counts, and which fields the updates change (counted by field, never values)."""
        if self.source is not None:
            self.counts.fields = field_changes(self.source, self.changed)
        return self.counts


def preview_changes(source: Source | None, rows: Sequence[ValidatedRow]) -> ChangeSummary:
    """:class:`ChangePreview` of rows held together (the command line's validated table)."""
    preview = ChangePreview(source)
    preview.add(rows)
    return preview.summary()
