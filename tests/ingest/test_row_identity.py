"""A row's hash recognises the same row imported again, and only that row."""

from __future__ import annotations

from testimonio.ingest.row_identity import row_hash


def test_the_same_row_gives_the_same_hash() -> None:
    assert row_hash("legal_aid", "", ["Ana", "2018"]) == row_hash("legal_aid", "", ["Ana", "2018"])


def test_spacing_unicode_form_and_trailing_empty_cells_do_not_change_the_hash() -> None:
    decomposed = "Jose\u0301"
    assert row_hash("s", "", ["José ", "a  b", ""]) == row_hash("s", "", [decomposed, "a b"])


def test_a_changed_cell_changes_the_hash() -> None:
    assert row_hash("s", "", ["Ana", "2018"]) != row_hash("s", "", ["Ana", "2019"])


def test_the_same_cells_in_another_source_or_sheet_hash_differently() -> None:
    cells = ["Ana"]
    assert len({row_hash("a", "", cells), row_hash("b", "", cells), row_hash("a", "x", cells)}) == 3
