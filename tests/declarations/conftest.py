"""A small simulated world with its declarations, and the exact text the simulator wrote.

The simulator's truth file says which paragraph tells which encounter, not each paragraph's
words, so the fixture records every DeclarationText as the simulator's own writers receive
it: that is the text each DOCX and PDF must read back to.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from testimonio.simulation.config import default_config
from testimonio.simulation.sources import declarations as simulated
from testimonio.simulation.sources.declaration_text import DeclarationText
from testimonio.simulation.world import WorldSummary, generate_world


@dataclass
class SimulatedDeclaration:
    """One document the simulator wrote, with its true text and its index row."""

    path: Path
    text: DeclarationText
    index: dict[str, str]
    birth_date: str

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".")

    def true_paragraphs(self) -> list[tuple[str, str]]:
        """(number, text) as the document shows them (the PDF's fonts draw Latin-1 only)."""
        draw = simulated.latin1 if self.format == "pdf" else str
        return [(str(n), draw(text)) for n, text in enumerate(self.text.paragraphs, start=1)]


@dataclass
class SimulatedWorld:
    summary: WorldSummary
    declarations: list[SimulatedDeclaration]

    def of_format(self, kind: str) -> list[SimulatedDeclaration]:
        return [d for d in self.declarations if d.format == kind]

    def truth_rows(self, name: str) -> list[dict[str, str]]:
        with (self.summary.out_dir / "truth" / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


def _recording(
    writer: Callable[[DeclarationText, Path], None], written: dict[Path, DeclarationText]
) -> Callable[[DeclarationText, Path], None]:
    def record(text: DeclarationText, path: Path) -> None:
        written[path] = text
        writer(text, path)

    return record


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> SimulatedWorld:
    out = tmp_path_factory.mktemp("declarations-world")
    written: dict[Path, DeclarationText] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(simulated, "_write_pdf", _recording(simulated._write_pdf, written))
        patch.setattr(simulated, "_write_docx", _recording(simulated._write_docx, written))
        summary = generate_world(
            default_config(people=2500, seed=5, max_declaration_documents=16), out
        )
    declarations = _declarations(summary, written)
    return SimulatedWorld(summary, declarations)


def _declarations(
    summary: WorldSummary, written: dict[Path, DeclarationText]
) -> list[SimulatedDeclaration]:
    out = summary.out_dir
    with (out / "declarations" / "exhibit_index.csv").open(encoding="utf-8") as handle:
        index = {row["file"]: row for row in csv.DictReader(handle) if row["file"]}
    with (out / "truth" / "records.csv").open(encoding="utf-8") as handle:
        person_of = {r["record_id"]: r["person_id"] for r in csv.DictReader(handle)
                     if r["source"] == "declarations"}  # fmt: skip
    with (out / "truth" / "people.csv").open(encoding="utf-8") as handle:
        born = {row["person_id"]: row["birth_date"] for row in csv.DictReader(handle)}
    return [
        SimulatedDeclaration(
            out / relative, written[out / relative], row, born[person_of[row["exhibit"]]]
        )
        for relative, row in sorted(index.items())
    ]
