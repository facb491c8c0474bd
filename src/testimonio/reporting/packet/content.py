"""The evidence packet's content, once: what the DOCX, the PDF and the XLSX all render.

A packet is a sequence of :class:`Section` (summary of findings, the standard panel, its
breakdowns, charts, the population estimate, commonality and typicality, the exhibit index,
the methods appendix, provenance), each made of paragraphs, :class:`TableBlock` and
:class:`Chart`. Every renderer walks the same sections in the same order, so the Word and the
PDF versions cannot disagree, and every table lands in the XLSX appendix.

What must always hold: the content is a pure function of the snapshot and the settings (no
clock, no randomness without a seed), so the same inputs give the same packet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from testimonio.errors import InputError
from testimonio.reporting.charts import Chart

__all__ = [
    "Chart",
    "EstimateInput",
    "Exhibit",
    "PacketContent",
    "Section",
    "TableBlock",
    "paragraph_ranges",
]


@dataclass(frozen=True)
class TableBlock:
    """A table as filed: a title, column headings and rows of already formatted text."""

    id: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    printed: bool = True  # False: too wide or long for a page, in the XLSX appendix only


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[TableBlock, ...] = ()
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class EstimateInput:
    """A population estimate as the estimation step reports it (``testimonio estimate --json``).

    ``sensitivity`` holds the other methods' results (rows with at least ``method``,
    ``estimate``, ``lower``, ``upper``), ``assumptions`` and ``diagnostics`` plain sentences.
    """

    method: str
    observed: int
    estimate: float
    lower: float
    upper: float
    level: float = 0.95
    sensitivity: tuple[Mapping[str, Any], ...] = ()
    assumptions: tuple[str, ...] = ()
    diagnostics: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, value: Mapping[str, Any]) -> EstimateInput:
        """Read the ``--json`` object of ``testimonio estimate`` (extra keys are ignored)."""
        missing = [key for key in ("method", "observed", "estimate", "lower", "upper")
                   if key not in value]  # fmt: skip
        if missing:
            raise InputError(f"the population estimate lacks {', '.join(missing)}")
        try:
            return cls(
                method=str(value["method"]),
                observed=int(value["observed"]),
                estimate=float(value["estimate"]),
                lower=float(value["lower"]),
                upper=float(value["upper"]),
                level=float(value.get("level", 0.95)),
                sensitivity=tuple(dict(row) for row in value.get("sensitivity", ())),
                assumptions=tuple(str(text) for text in value.get("assumptions", ())),
                diagnostics=tuple(str(text) for text in value.get("diagnostics", ())),
            )
        except (TypeError, ValueError):
            raise InputError("the population estimate has a value that is not a number") from None


@dataclass(frozen=True)
class Exhibit:
    """One declaration filed as an exhibit: who (by pseudonym), when, where, which paragraphs.

    ``paragraphs`` maps a term code (a tactic, a harm) to the numbers of the declaration's
    paragraphs that are evidence of it, as the declaration writes them. ``number`` is the
    exhibit as filed ("12", or "12-A"). The declarant is named by pseudonym, never by name
    or real initials: docs/reporting.md, "Citations".
    """

    number: int | str
    pseudonym: str
    date_signed: str
    port: str
    language: str
    interpreter: bool
    paragraphs: Mapping[str, tuple[int | str, ...]] = field(default_factory=dict)
    ecf_reference: str = ""

    def citation(self, paragraphs: Sequence[int | str] = ()) -> str:
        """The form courts use: ``Ex. 12 (Decl. of P-0000123) ¶ 7`` (``¶¶ 7-9, 11`` for
        several; ``Ex. 12 (Decl. of P-0000123), ECF No. 45-3, ¶ 7`` once filed).

        The same form as ``testimonio.declarations.citation`` (the web's), written again here
        so the packet does not load the declaration readers.
        """
        head = f"Ex. {self.number} (Decl. of {self.pseudonym})"
        if self.ecf_reference:
            head += f", ECF No. {self.ecf_reference}"
        if not paragraphs:
            return head
        mark = "¶" if len(set(paragraphs)) == 1 else "¶¶"
        separator = ", " if self.ecf_reference else " "
        return f"{head}{separator}{mark} {paragraph_ranges(paragraphs)}"

    def sort_key(self) -> tuple[int, str]:
        """Exhibits in filing order: by their leading number, then as written."""
        text = str(self.number)
        digits = text[: len(text) - len(text.lstrip("0123456789"))]
        return (int(digits) if digits else 10**9, text)


def paragraph_ranges(paragraphs: Sequence[int | str]) -> str:
    """``7-9, 11`` from 7, 8, 9, 11: runs of whole numbers joined; other numbers as written."""
    whole = sorted({int(str(p)) for p in paragraphs if str(p).isdigit()})
    other = sorted({str(p) for p in paragraphs if not str(p).isdigit()})
    runs: list[list[int]] = []
    for number in whole:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs]
    return ", ".join(parts + other)


@dataclass(frozen=True)
class PacketContent:
    """The whole packet: its identity (project, snapshot) and its sections in order."""

    title: str
    project: str
    snapshot_sha256: str
    snapshot_created: str
    sections: tuple[Section, ...]

    def tables(self) -> list[TableBlock]:
        """Every table of the packet, in order (the XLSX appendix, which has them all)."""
        return [table for section in self.sections for table in section.tables]

    def charts(self) -> list[Chart]:
        return [chart for section in self.sections for chart in section.charts]
