"""Word's automatic paragraph numbers, which are not characters of a DOCX's text.

A declaration typed in Word usually numbers its paragraphs with a numbered list: the "7." a
reader sees is drawn from the numbering definitions (``word/numbering.xml``), not stored in
the paragraph. python-docx gives the text without it, so the number is worked out here the
way Word draws it, for decimal lists at their first level: the list's own start, counted per
abstract list (lists sharing a definition continue each other's count, as in Word), written
with the level's pattern ("%1." gives "7.", "(%1)" gives "(7)", "¶ %1" gives "¶ 7"). Anything
else (bullets, letters, sub-levels) is left without a number.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from docx.oxml.ns import qn

__all__ = ["numbered_lines"]


def numbered_lines(document: Any) -> list[str]:
    """Each paragraph's text, with its automatic number written in front when it has one."""
    levels = _decimal_levels(document)
    if not levels:
        return [paragraph.text for paragraph in document.paragraphs]
    styles = _numbered_styles(document)
    counts: Counter[str] = Counter()
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text
        list_id = _list_of(paragraph._p, styles)
        if list_id is not None and list_id in levels and text.strip():
            abstract, pattern, start = levels[list_id]
            counts[abstract] += 1
            text = f"{pattern.replace('%1', str(start + counts[abstract] - 1))} {text.lstrip()}"
        lines.append(text)
    return lines


def _list_of(element: Any, styles: dict[str, str | None]) -> str | None:
    """The numId of the first-level list a paragraph belongs to, itself or by its style."""
    properties = element.find(qn("w:pPr"))
    numbering = properties.find(qn("w:numPr")) if properties is not None else None
    if numbering is not None:
        return _first_level(numbering)
    style = properties.find(qn("w:pStyle")) if properties is not None else None
    return styles.get(str(style.get(qn("w:val")))) if style is not None else None


def _first_level(numbering: Any) -> str | None:
    level, identifier = numbering.find(qn("w:ilvl")), numbering.find(qn("w:numId"))
    if identifier is None or (level is not None and level.get(qn("w:val")) != "0"):
        return None
    return str(identifier.get(qn("w:val")))


def _numbered_styles(document: Any) -> dict[str, str | None]:
    """styleId -> numId for the paragraph styles that number their paragraphs."""
    styles: dict[str, str | None] = {}
    for style in document.styles.element.findall(qn("w:style")):
        properties = style.find(qn("w:pPr"))
        numbering = properties.find(qn("w:numPr")) if properties is not None else None
        if numbering is not None:
            styles[str(style.get(qn("w:styleId")))] = _first_level(numbering)
    return styles


def _decimal_levels(document: Any) -> dict[str, tuple[str, str, int]]:
    """numId -> (abstractNumId, level text pattern, start) for decimal first levels."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstracts: dict[str, tuple[str, int]] = {}
    for abstract in numbering.findall(qn("w:abstractNum")):
        for level in abstract.findall(qn("w:lvl")):
            if level.get(qn("w:ilvl")) == "0" and _value(level, "w:numFmt") == "decimal":
                start = int(_value(level, "w:start") or "1")
                pattern = _value(level, "w:lvlText") or "%1."
                abstracts[str(abstract.get(qn("w:abstractNumId")))] = (pattern, start)
    levels = {}
    for number in numbering.findall(qn("w:num")):
        abstract_id = _value(number, "w:abstractNumId")
        if abstract_id is not None and abstract_id in abstracts:
            pattern, start = abstracts[abstract_id]
            levels[str(number.get(qn("w:numId")))] = (abstract_id, pattern, start)
    return levels


def _value(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag))
    return None if child is None else child.get(qn("w:val"))
