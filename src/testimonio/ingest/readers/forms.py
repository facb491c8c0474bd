"""What KoboToolbox and ODK Central exports add to a plain table, and how to undo it.

- an optional second row of HXL tags (``#affected +name``) that is not a respondent: skipped;
- select_multiple questions as one space-separated column and/or one 0/1 column per choice
  (``intento/tacticas/no_hay_asilo`` in Kobo, ``q1/a`` in ODK): we record which columns are
  choices, and rebuild the space-separated column when only the 0/1 columns were exported;
- repeat groups: a Kobo XLSX sheet per repeat joined by ``_parent_index`` to ``_index``, an ODK
  Central file per repeat joined by ``PARENT_KEY`` to ``KEY``: :func:`link_repeat` finds each
  repeat row's parent row, refuses orphans, and files the repeat under its parent's
  ``repeats`` (by sheet name, or by file name without extension for an ODK repeat file).
"""

from __future__ import annotations

from pathlib import Path

from testimonio.errors import InputError
from testimonio.ingest.tables import Table

__all__ = ["detect_form_format", "link_repeat", "prepare_form_table", "skip_hxl_row"]

KOBO_MARKERS = {"_uuid", "_submission_time", "_index", "_parent_index", "__version__"}
ODK_MARKERS = {"SubmissionDate", "meta-instanceID", "PARENT_KEY"}
_SELECTED = {"1", "1.0", "TRUE", "true", "True"}
_UNSELECTED = {"0", "0.0", "FALSE", "false", "False", ""}


def detect_form_format(header: list[str]) -> str | None:
    """``kobo``, ``odk`` or None, from the metadata columns each tool always exports."""
    columns = set(header)
    if columns & KOBO_MARKERS:
        return "kobo"
    if columns & ODK_MARKERS or ("KEY" in columns and any("-" in name for name in header)):
        return "odk"
    return None


def skip_hxl_row(table: Table) -> None:
    """Drop a first data row made only of HXL hashtags (it describes columns, not a person)."""
    if not table.rows:
        return
    first = [cell.strip() for cell in table.rows[0] if cell.strip()]
    if first and all(cell.startswith("#") for cell in first):
        del table.rows[0]
        del table.row_numbers[0]
        table.notes.append("skipped the HXL tag row")


def prepare_form_table(table: Table) -> None:
    """Skip HXL tags, record select_multiple choice columns and rebuild missing combined ones."""
    skip_hxl_row(table)
    groups = _choice_columns(table)
    for question, choices in groups.items():
        if question not in table.header:
            _add_combined_column(table, question, choices)
    table.select_multiple = groups


def _choice_columns(table: Table) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for index, name in enumerate(table.header):
        question, slash, choice = name.rpartition("/")
        if not slash or not question or not choice:
            continue
        if question not in table.header and not _looks_like_choices(table, index):
            continue
        if question in table.header or _looks_like_choices(table, index):
            groups.setdefault(question, []).append(name)
    return {
        question: names
        for question, names in groups.items()
        if all(_looks_like_choices(table, table.header.index(name)) for name in names)
    }


def _looks_like_choices(table: Table, index: int) -> bool:
    values = {row[index].strip() for row in table.rows[:500]}
    return bool(values) and values <= _SELECTED | _UNSELECTED


def _add_combined_column(table: Table, question: str, choices: list[str]) -> None:
    indexes = [table.header.index(name) for name in choices]
    table.header.append(question)
    for position, row in enumerate(table.rows):  # rows are copies: assign each back
        picked = [
            table.header[i].rpartition("/")[2] for i in indexes if row[i].strip() in _SELECTED
        ]
        table.rows[position] = [*row, " ".join(picked)]
    table.notes.append(f"rebuilt {question!r} from its one-column-per-choice columns")


def link_repeat(parent: Table, child: Table) -> list[int]:
    """For each repeat row, the row number of its parent; InputError naming an orphan's row."""
    parent_key, child_key = _join_keys(parent, child)
    parent_index = parent.header.index(parent_key)
    by_key = {
        row[parent_index].strip(): number
        for row, number in zip(parent.rows, parent.row_numbers, strict=True)
    }
    child_index = child.header.index(child_key)
    linked: list[int] = []
    for row, number in zip(child.rows, child.row_numbers, strict=True):
        found = by_key.get(row[child_index].strip())
        if found is None:
            raise InputError(
                f"this repeat row points to no row of {parent.sheet!r} (expected {child_key} "
                f"to match a {parent_key} there)",
                file=f"{child.file} [{child.sheet}]",
                row=number,
                column=child_key,
            )
        linked.append(found)
    child.parent_sheet = parent.sheet
    child.parent_rows = list(linked)
    parent.repeats[child.sheet or Path(child.file).stem] = child
    return linked


def _join_keys(parent: Table, child: Table) -> tuple[str, str]:
    if "_parent_index" in child.header and "_index" in parent.header:
        return "_index", "_parent_index"
    if "PARENT_KEY" in child.header and "KEY" in parent.header:
        return "KEY", "PARENT_KEY"
    raise InputError(
        "cannot join this repeat to its form: expected _parent_index (KoboToolbox) or "
        "PARENT_KEY (ODK Central) here and _index or KEY in the main sheet",
        file=f"{child.file} [{child.sheet}]",
    )
