"""A row's hash recognises the same row imported again, and only that row."""

from __future__ import annotations

import hashlib
import hmac

from testimonio.ingest.row_identity import RowHasher, row_digest


def test_the_same_row_gives_the_same_hash() -> None:
    assert row_digest("legal_aid", "", ["Ana", "2018"]) == row_digest(
        "legal_aid", "", ["Ana", "2018"]
    )


def test_spacing_unicode_form_and_trailing_empty_cells_do_not_change_the_hash() -> None:
    decomposed = "Jose\u0301"
    assert row_digest("s", "", ["José ", "a  b", ""]) == row_digest("s", "", [decomposed, "a b"])


def test_a_changed_cell_changes_the_hash() -> None:
    assert row_digest("s", "", ["Ana", "2018"]) != row_digest("s", "", ["Ana", "2019"])


def test_the_same_cells_in_another_source_or_sheet_hash_differently() -> None:
    cells = ["Ana"]
    assert (
        len({row_digest("a", "", cells), row_digest("b", "", cells), row_digest("a", "x", cells)})
        == 3
    )


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
        row_digest("legal_aid", "Intake", cells)
        == "ce48baa1d126f2dbed204e082348556e74d86c01c9fd156c8b98c62c71d51753"
    )


def test_a_stored_row_hash_is_an_hmac_that_needs_the_key() -> None:
    digest = row_digest("legal_aid", "", ["Ana", "2018"])
    one, other = RowHasher(b"k" * 32), RowHasher(b"j" * 32)
    expected = hmac.new(b"k" * 32, f"row|{digest}".encode(), hashlib.sha256).hexdigest()
    assert one.row_hash(digest) == expected == one.row_hash(digest)
    assert other.row_hash(digest) != expected != digest


def test_a_record_key_is_indexed_per_source_under_the_key() -> None:
    hasher = RowHasher(b"k" * 32)
    assert hasher.record_index(1, "A-1") == hasher.record_index(1, "A-1")
    assert len({hasher.record_index(1, "A-1"), hasher.record_index(2, "A-1")}) == 2
    assert "A-1" not in hasher.record_index(1, "A-1")
