"""The declarations package's public surface is small, sorted, and documented."""

from __future__ import annotations

from pathlib import Path

import testimonio.declarations

DOCS = Path(__file__).parents[2] / "docs" / "declarations.md"


def test_all_is_sorted_and_importable() -> None:
    names = testimonio.declarations.__all__
    assert names == sorted(names)
    assert all(hasattr(testimonio.declarations, name) for name in names)


def test_every_public_name_is_in_the_docs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert [name for name in testimonio.declarations.__all__ if name not in text] == []
