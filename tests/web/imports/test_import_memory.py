"""A server process gives back the memory an import page used (issue 13, finding 7); what
that saves is measured in benchmarks/import_memory.py."""

from __future__ import annotations

import pytest

from testimonio.web.imports import memory


def test_an_import_page_gives_back_memory_even_when_it_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(memory, "give_back_memory", lambda: calls.append("given back"))

    @memory.gives_back_memory
    def page() -> None:
        raise ValueError("the view failed")

    with pytest.raises(ValueError):
        page()
    assert calls == ["given back"]
