"""The exhibit index and each finding's citations, from the snapshot's declarations.

A snapshot of schema version 2 carries ``declarations`` (exhibit, pseudonym, date signed,
ports, language, interpreter) and ``paragraph_codings`` (which numbered paragraph is evidence
of which term): numbers and codes only. From them the packet lists every numbered exhibit and,
beside each tactic's finding, the paragraphs that attest it in the form courts use
("Ex. 12 (Decl. of P-0000123) ¶ 7"). Declarations not yet numbered as exhibits are not
exhibits: they are counted in the methods appendix, never cited.

What must always hold: a citation names the declarant by pseudonym only (docs/reporting.md,
"Citations"), so the packet's text matches the redacted exhibit, which says the pseudonym
where the declarant's name was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from testimonio.analysis import Figure, Snapshot
from testimonio.reporting.labels import TacticLabels, percent
from testimonio.reporting.packet.content import Exhibit, Section, TableBlock, paragraph_ranges
from testimonio.reporting.packet.sections import interval, whole_project

__all__ = ["PRINTED_CITATIONS", "exhibit_section", "snapshot_exhibits"]

#: Citations printed beside a finding; the rest are in the XLSX appendix (every one).
PRINTED_CITATIONS = 8


def snapshot_exhibits(snapshot: Snapshot) -> tuple[Exhibit, ...]:
    """Every declaration of the snapshot numbered as an exhibit, with its cited paragraphs."""
    if not snapshot.has("declarations"):
        return ()
    declarations = snapshot.sql(
        """SELECT declaration_id, exhibit, ecf_reference, person_id,
                  coalesce(strftime(date_signed, '%Y-%m-%d'), ''), ports,
                  coalesce(language, ''), interpreter
           FROM declarations WHERE exhibit <> '' ORDER BY declaration_id"""
    ).fetchall()
    cited: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if snapshot.has("paragraph_codings"):
        for declaration, paragraph, code in snapshot.sql(
            """SELECT DISTINCT declaration_id, paragraph, term_code FROM paragraph_codings
               ORDER BY declaration_id, term_code, paragraph"""
        ).fetchall():
            cited[declaration][code].append(paragraph)
    exhibits = [
        Exhibit(
            number=exhibit, pseudonym=person or "unlinked declarant", date_signed=signed,
            port=", ".join(str(ports or "").split()), language=language,
            interpreter=bool(interpreter), ecf_reference=ecf or "",
            paragraphs={code: tuple(numbers) for code, numbers in cited[declaration].items()},
        )
        for declaration, exhibit, ecf, person, signed, ports, language, interpreter
        in declarations
    ]  # fmt: skip
    return tuple(sorted(exhibits, key=Exhibit.sort_key))


def _label(code: str, tactics: TacticLabels) -> str:
    return str(tactics.get(code, {}).get("en", code))


def _marks(numbers: Sequence[int | str]) -> str:
    """``¶ 7`` or ``¶¶ 7-9, 11``: the row already says which exhibit."""
    return f"{'¶' if len(set(numbers)) == 1 else '¶¶'} {paragraph_ranges(numbers)}"


def _index(exhibits: Sequence[Exhibit], tactics: TacticLabels) -> TableBlock:
    rows = []
    for exhibit in exhibits:
        cited = "; ".join(
            f"{_label(code, tactics)} {_marks(numbers)}"
            for code, numbers in sorted(exhibit.paragraphs.items())
        )
        rows.append(
            (str(exhibit.number), exhibit.pseudonym, exhibit.date_signed, exhibit.port,
             exhibit.language, "yes" if exhibit.interpreter else "no", cited)
        )  # fmt: skip
    return TableBlock(
        "exhibit_index", "Exhibit index",
        ("Exhibit", "Declarant", "Signed", "Port", "Language", "Interpreter",
         "Paragraphs cited per tactic"),
        tuple(rows),
        "Declarants are named by their pseudonym, as in the redacted exhibits; each finding's "
        "citations in full are in the table above.",
    )  # fmt: skip


def _citations(exhibits: Sequence[Exhibit]) -> dict[str, list[str]]:
    """Term code -> the citations of every exhibit with a paragraph coded with it."""
    found: dict[str, list[str]] = defaultdict(list)
    for exhibit in exhibits:
        for code, numbers in sorted(exhibit.paragraphs.items()):
            found[code].append(exhibit.citation(numbers))
    return found


def _findings(
    figures: Sequence[Figure], citations: dict[str, list[str]], tactics: TacticLabels
) -> tuple[TableBlock, TableBlock]:
    """Each tactic's whole-project finding with the declarations that attest it."""
    whole = whole_project(figures)
    tactic_figures = sorted(
        (f for f in whole.values() if f.id.startswith("tactic:")),
        key=lambda f: (-f.count, f.id),
    )
    printed: list[tuple[str, ...]] = []
    every: list[tuple[str, ...]] = []
    for figure in tactic_figures:
        code = figure.id.removeprefix("tactic:")
        cited = citations.get(code, [])
        shown = "; ".join(cited[:PRINTED_CITATIONS])
        if len(cited) > PRINTED_CITATIONS:
            more = len(cited) - PRINTED_CITATIONS
            shown += f"; and {more} more {'exhibit' if more == 1 else 'exhibits'} (XLSX appendix)"
        finding = f"{figure.count} of {figure.denominator} ({percent(figure.share)})"
        printed.append((_label(code, tactics), finding, interval(figure.lower, figure.upper),
                        shown or "no exhibit cites it"))  # fmt: skip
        every.extend((code, _label(code, tactics), citation) for citation in cited)
    return (
        TableBlock(
            "findings_cited", "Each tactic's finding and the declarations that attest it",
            ("Tactic", "Persons turned away who met it", "95% interval", "Cited in"),
            tuple(printed),
            "Findings count linked persons (the standard panel); the citations show where "
            "declarants describe the tactic in their own words.",
        ),
        TableBlock(
            "citations_every_exhibit", "Every citation of every tactic",
            ("Term code", "Term", "Citation"), tuple(every), printed=False,
        ),
    )  # fmt: skip


def exhibit_section(
    exhibits: Sequence[Exhibit], tactics: TacticLabels, figures: Sequence[Figure] = ()
) -> Section:
    """The exhibit index, and beside each tactic's finding the paragraphs that attest it."""
    title = "Exhibit index and citations"
    if not exhibits:
        return Section(
            "exhibits", title,
            ("No declarations are part of this packet: the exhibit index is empty.",),
        )  # fmt: skip
    ordered = sorted(exhibits, key=Exhibit.sort_key)
    tables = [_index(ordered, tactics)]
    if figures:
        tables[:0] = _findings(figures, _citations(ordered), tactics)
    paragraphs = (
        f"{len(ordered)} declarations are filed as exhibits. Citations give the exhibit, the "
        "declarant's pseudonym and the paragraphs, as courts cite declarations.",
    )
    return Section("exhibits", title, paragraphs, tuple(tables))
