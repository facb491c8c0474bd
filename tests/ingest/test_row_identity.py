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


def test_the_hash_of_a_row_stays_what_earlier_imports_stored() -> None:
    # Stored in every imported record: if the hash of the same row ever changed, re-importing a
    # file would update every row instead of recognising it. The digest was computed by the
    # first implementation (json.dumps of NFC-normalised, space-collapsed cells).
    cells = [
        "R-1",
        "José  ",
        "Pérez\u0301",
        " a\u00a0b ",
        "",
        "Jean\u2003Pierre",
        "ﬁ",
        "Ω",
        "\u212b",
        "",
    ]
    assert (
        row_hash("legal_aid", "Intake", cells)
        == "ce48baa1d126f2dbed204e082348556e74d86c01c9fd156c8b98c62c71d51753"
    )
