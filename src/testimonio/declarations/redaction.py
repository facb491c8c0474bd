"""Take the declarant's identity out of a declaration's paragraphs, with a log of what went.

Names become the pseudonym (or initials), family members' names their initials, birth dates,
phone numbers and addresses a label in brackets. Matching is blind to case and accents
("JOSÉ PÉREZ", "Jose Perez" and "josé pérez" are one name), and spaces and hyphens in a name
are interchangeable. The log says what kind of value went from which paragraph and how many
times, never the value. What this cannot catch is in docs/declarations.md ("Limits").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from testimonio.declarations.identity import (
    Identity,
    Term,
    birth_date_patterns,
    fold,
    fold_with_positions,
    initials,
    name_parts,
    name_pattern,
    stated_names,
)
from testimonio.declarations.model import Declaration, Paragraph

__all__ = ["RedactedDeclaration", "RedactionEntry", "identity_terms", "redact_declaration"]

LABELS = {
    "en": {"birth date": "[birth date]", "phone": "[phone]", "address": "[address]"},
    "es": {"birth date": "[fecha de nacimiento]", "phone": "[teléfono]", "address": "[domicilio]"},
}
BIRTH_STATEMENT = (
    r"\b(?:born\s+(?:on|in)|naci\s+(?:el|en)|date\s+of\s+birth\s+(?:is|was)"
    r"|fecha\s+de\s+nacimiento\s+(?:es|era))\s+(?P<value>[^.;\n]{0,40}?\b\d{4})\b"
)
ANY_PHONE = r"(?<![\w/:])\+?\(?\d[\d\s().\-]{5,}\d(?![\w/])"
MINIMUM_PHONE_DIGITS = 7


@dataclass(frozen=True)
class RedactionEntry:
    """One line of the redaction log: a kind of value, where, how many times. No value."""

    kind: str
    #: the paragraph number as written, or "preamble" / "closing"
    where: str
    count: int


@dataclass
class RedactedDeclaration:
    """The declaration with identity replaced, and the log of what was replaced."""

    declaration: Declaration
    log: list[RedactionEntry] = field(default_factory=list)
    #: the searches that must find nothing in any copy made from it (for checking a PDF)
    terms: list[Term] = field(default_factory=list)


def identity_terms(identity: Identity, declaration: Declaration) -> list[Term]:
    """Every search term for this declarant, in the order they must be applied."""
    whole = "\n".join(_sections_text(declaration))
    stated_declarant, stated_family = stated_names(whole)
    pseudonym = identity.pseudonym
    declarant = _distinct([*identity.names, *stated_declarant], exclude=pseudonym)
    family = _distinct([*identity.family_names, *stated_family], exclude=pseudonym)
    labels = LABELS.get(declaration.language, LABELS["en"])
    terms = [Term("birth date", BIRTH_STATEMENT, labels["birth date"])]
    for born in identity.birth_dates:
        terms += [
            Term("birth date", pattern, labels["birth date"], (pattern,))
            for pattern in birth_date_patterns(born)
        ]
    for phone in identity.phones:
        digits = re.sub(r"\D", "", phone)
        if len(digits) >= MINIMUM_PHONE_DIGITS:
            pattern = r"[\s().\-]*".join(digits[-10:])
            last = digits[-MINIMUM_PHONE_DIGITS:]
            terms.append(Term("phone", pattern, labels["phone"], (last,), digits=True))
    terms.append(Term("phone", ANY_PHONE, labels["phone"]))
    for address in identity.addresses:
        for value in _distinct([address, address.split(",")[0]]):
            words = [re.escape(word) for word in re.findall(r"\w+", fold(value))]
            pattern = r"\b" + r"[\s,.\-#]+".join(words) + r"\b"
            terms.append(Term("address", pattern, labels["address"], (pattern,)))
    # Whole names first (longest first), then their words alone: a family member's name is
    # found whole before a surname it shares with the declarant is replaced on its own.
    names = [("declarant name", name, pseudonym or initials(name)) for name in declarant]
    names += [("family name", name, initials(name)) for name in family]
    names.sort(key=lambda item: len(item[1]), reverse=True)
    for kind, name, new in names:
        terms.append(Term(kind, name_pattern(name), new, (name_pattern(name),)))
    return terms + _part_terms(names, pseudonym)


def _part_terms(names: list[tuple[str, str, str]], pseudonym: str) -> list[Term]:
    """Each word of each name alone, unless the pseudonym uses it too."""
    shared = {fold(part) for part in name_parts(pseudonym)}
    parts: dict[str, Term] = {}
    for kind, name, _ in names:
        for part in name_parts(name):
            if fold(part) not in shared:
                pattern = name_pattern(part)
                parts.setdefault(fold(part), Term(kind, pattern, initials(name), (pattern,)))
    return sorted(parts.values(), key=lambda term: len(term.pattern), reverse=True)


def _distinct(values: Iterable[str], exclude: str = "") -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        key = " ".join(fold(value).split())
        if key and key != " ".join(fold(exclude).split()):
            seen.setdefault(key, value.strip())
    return list(seen.values())


def redact_declaration(declaration: Declaration, identity: Identity) -> RedactedDeclaration:
    """A copy of the declaration with the identity replaced in every section, and the log."""
    terms = identity_terms(identity, declaration)
    counts: Counter[tuple[str, str]] = Counter()
    preamble = [_redact(line, terms, counts, "preamble") for line in declaration.preamble]
    paragraphs = [
        Paragraph(p.number, p.marker, _redact(p.text, terms, counts, p.number))
        for p in declaration.paragraphs
    ]
    closing = [_redact(line, terms, counts, "closing") for line in declaration.closing]
    redacted = replace(declaration, preamble=preamble, paragraphs=paragraphs, closing=closing)
    redacted.text = "\n".join(_sections_text(redacted))
    redacted.warnings = list(declaration.warnings)
    log = [RedactionEntry(kind, where, count) for (kind, where), count in counts.items()]
    return RedactedDeclaration(redacted, log, terms)


def _sections_text(declaration: Declaration) -> list[str]:
    return [
        *declaration.preamble,
        *(f"{p.marker} {p.text}" for p in declaration.paragraphs),
        *declaration.closing,
    ]


def _redact(text: str, terms: list[Term], counts: Counter[tuple[str, str]], where: str) -> str:
    for term in terms:
        text, found = _replace(text, term)
        if found:
            counts[(term.kind, where)] += found
    return text


def _replace(text: str, term: Term) -> tuple[str, int]:
    """Replace the term's matches, found in the folded text, at their original positions."""
    folded, positions = fold_with_positions(text)
    spans = []
    for match in re.finditer(term.pattern, folded):
        group = "value" if "value" in match.re.groupindex else 0
        start, end = match.span(group)
        if term.kind == "phone" and len(re.sub(r"\D", "", match.group(0))) < MINIMUM_PHONE_DIGITS:
            continue
        if end > start:
            spans.append((positions[start], positions[end - 1] + 1))
    for start, end in reversed(spans):
        text = text[:start] + term.replacement + text[end:]
    return text, len(spans)
