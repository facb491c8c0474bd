"""Split a declaration's text into its own numbered paragraphs.

Rules (docs/declarations.md says why each one is there):

- a paragraph starts at a line that begins with the declaration's own mark, ``1.``, ``1)``,
  ``(1)`` or ``¶ 1``, kept as written; the first mark fixes the style, and each later one
  must be the next number in that style, so a wrapped line that happens to begin "4521."
  (a waitlist number) or an inner list "(1) ... (2)" never starts a paragraph;
- lines are joined with a space (a line ending in a hyphen is joined without one), across
  page breaks;
- page numbers and lines repeated at the top or bottom of several pages (running headers and
  footers) are taken out of the flow and kept once in the preamble;
- text before the first mark is the preamble (caption, title); after the last paragraph, the
  attestation ("I declare under penalty of perjury", "Declaro bajo pena de perjurio"), a
  signature ("/s/", "/f/", a signature line) or a translator's certificate starts the closing,
  which runs to the end.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from testimonio.declarations.model import Paragraph

__all__ = ["SplitText", "remove_page_furniture", "split_paragraphs"]

MARK = re.compile(
    r"^\s*(?:(?P<pilcrow>¶\s*(?P<p>\d{1,3})[.:]?)|(?P<paren>\((?P<q>\d{1,3})\))"
    r"|(?P<dot>(?P<d>\d{1,3})\.)|(?P<close>(?P<c>\d{1,3})\)))\s+(?=\S)"
)
CLOSING_STARTS = (
    "i declare under penalty",
    "i certify under penalty",
    "i declare under the penalty",
    "declaro bajo pena",
    "declaro bajo protesta",
    "/s/",
    "/f/",
    "s/ ",
    "executed on",
    "firmado el",
    "certificate of translation",
    "certificate of interpretation",
    "translator's certificate",
    "certificado de traduccion",
    "certificacion de traduccion",
    "____",
)
PAGE_NUMBER = re.compile(
    r"^(?:-\s*\d{1,3}\s*-|(?:page|pagina|pag\.?)?\s*\d{1,3}(?:\s*(?:of|de|/)\s*\d{1,3})?)$"
)
EDGE_LINES = 2


@dataclass
class SplitText:
    """A declaration's text cut into preamble, numbered paragraphs and closing."""

    preamble: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """Lower case without accents: how headers and closings are compared."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def remove_page_furniture(pages: Sequence[Sequence[str]]) -> tuple[list[str], list[str]]:
    """The body lines of all pages in order, and the running headers/footers taken out.

    A line is furniture when it is a page number at a page's edge, or when the same line
    (digits ignored) sits at the edge of at least two pages and half of them. A line that
    begins with a paragraph mark is never furniture, however alike paragraphs begin.
    """
    cleaned = [[line.strip() for line in page if line.strip()] for page in pages]
    seen: Counter[str] = Counter()
    for page in cleaned:
        seen.update({_shape(line) for line in _edges(page) if not MARK.match(line)})
    repeated = {shape for shape, count in seen.items() if count >= max(2, len(cleaned) / 2)}
    body: list[str] = []
    furniture: list[str] = []
    for page in cleaned:
        edges = set(_edge_positions(page))
        for position, line in enumerate(page):
            at_edge = position in edges
            if at_edge and PAGE_NUMBER.match(fold(line)):
                continue
            if at_edge and _shape(line) in repeated and not MARK.match(line):
                if line not in furniture:
                    furniture.append(line)
                continue
            body.append(line)
    return body, furniture


def _edge_positions(page: Sequence[str]) -> list[int]:
    size = len(page)
    return [*range(min(EDGE_LINES, size)), *range(max(size - EDGE_LINES, 0), size)]


def _edges(page: Sequence[str]) -> list[str]:
    return [page[position] for position in _edge_positions(page)]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", fold(line))


def split_paragraphs(lines: Sequence[str], *, hard_breaks: bool = False) -> SplitText:
    """Cut lines into preamble, numbered paragraphs and closing.

    ``hard_breaks`` says each line is a whole paragraph of the source (DOCX, TXT with blank
    lines): an unnumbered one after a paragraph continues it on a new line instead of being
    joined to it with a space.
    """
    result = SplitText()
    style, expected = "", 0
    current: list[str] = []
    marker = number = ""
    for line in lines:
        if not line.strip():
            continue
        if result.closing:
            result.closing.append(line.strip())
            continue
        found = MARK.match(line)
        kind, value = _mark_of(found)
        if found and value and (not style or (kind == style and int(value) == expected)):
            if style:
                result.paragraphs.append(Paragraph(number, marker, _join(current, hard_breaks)))
            style, expected = kind, int(value) + 1
            marker, number = found.group(kind).strip(), value
            current = [line[found.end() :].strip()]
        elif style and fold(line.strip()).startswith(CLOSING_STARTS):
            result.closing.append(line.strip())
        elif style:
            current.append(line.strip())
        else:
            result.preamble.append(line.strip())
    if style:
        result.paragraphs.append(Paragraph(number, marker, _join(current, hard_breaks)))
    return result


def _mark_of(found: re.Match[str] | None) -> tuple[str, str]:
    if found is None:
        return "", ""
    for kind, digits in (("pilcrow", "p"), ("paren", "q"), ("dot", "d"), ("close", "c")):
        if found.group(kind):
            return kind, found.group(digits)
    return "", ""


def _join(lines: Sequence[str], hard_breaks: bool) -> str:
    if hard_breaks:
        return "\n".join(lines)
    text = ""
    for line in lines:
        if not text:
            text = line
        elif re.search(r"\w-$", text) and line[:1].islower():
            text += line
        else:
            text += " " + line
    return text
