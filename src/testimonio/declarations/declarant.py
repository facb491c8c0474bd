"""Who a declaration says its declarant is, for linking it to the person's records.

A declaration is a source like any list: it states the declarant's name ("I, NAME, declare")
and often the birth date or year ("I was born on ...", "Nací en 1990"). Linking needs only the
candidate surnames and the birth year, which go straight into keyed blind indexes; nothing
here logs or keeps a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from testimonio.declarations.identity import NAME, name_parts, stated_names
from testimonio.declarations.model import Declaration

__all__ = ["Declarant", "citation", "declarant_of", "stated_interpreter"]

BIRTH_YEAR = re.compile(
    r"\b(?:born\s+(?:on|in)|nac[ií]\s+(?:el|en)|date\s+of\s+birth\s+is|"
    r"fecha\s+de\s+nacimiento\s+es)\b[^.]{0,40}?\b(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)

#: The translator's certificate names the interpreter ("I, NAME, certify"), after its title.
CERTIFICATE = re.compile(r"certificate\s+of\s+translation|certificado\s+de\s+traducci[oó]n", re.I)
INTERPRETER = re.compile(rf"\b(?:I|Yo),\s+(?P<name>{NAME}),\s+(?:certify|certifico)\b")


@dataclass(frozen=True)
class Declarant:
    """The declarant as the declaration states them (memory only)."""

    names: tuple[str, ...] = ()
    birth_year: int | None = None

    def surname_candidates(self) -> list[str]:
        """Every word of the stated name but the first: the text does not say which words are
        surnames ("José Luis Pérez" or "José Pérez Gómez"), so each is tried as the first."""
        found: list[str] = []
        for name in self.names:
            for index, part in enumerate(name_parts(name)[1:], start=1):
                rest = " ".join(name_parts(name)[index:])
                if part and rest not in found:
                    found.append(rest)
        return found

    def __repr__(self) -> str:
        return "Declarant(<identity>)"


def declarant_of(declaration: Declaration) -> Declarant:
    """The names the declaration gives its declarant and the birth year it states, if any."""
    text = "\n".join(
        [*declaration.preamble, *(p.text for p in declaration.paragraphs), *declaration.closing]
    )
    names, _family = stated_names(text)
    years = [int(m.group("year")) for m in BIRTH_YEAR.finditer(text)]
    return Declarant(tuple(dict.fromkeys(names)), years[0] if years else None)


def stated_interpreter(closing: str) -> tuple[bool, str]:
    """Whether the closing holds a translator's certificate, and the interpreter it names
    (a professional, not the declarant: the redaction keeps this name too)."""
    certificate = CERTIFICATE.search(closing)
    if certificate is None:
        return False, ""
    named = INTERPRETER.search(closing[certificate.end() :])
    return True, named.group("name") if named else ""


def citation(
    exhibit: str, declarant: str, numbers: list[str] | None = None, ecf_reference: str = ""
) -> str:
    """A declaration cited as courts write it: "Ex. 12 (Decl. of P-000123) ¶ 7", "¶¶ 7-9";
    with the docket entry when filed: "Ex. 12 (Decl. of P-000123), ECF No. 45-3, ¶ 7"."""
    head = f"Ex. {exhibit} (Decl. of {declarant})" if exhibit else f"Decl. of {declarant}"
    if ecf_reference:
        head += f", ECF No. {ecf_reference}"
    if not numbers:
        return head
    ordered = sorted({int(n) for n in numbers})
    separator = ", " if ecf_reference else " "
    sign = "¶" if len(ordered) == 1 else "¶¶"
    return f"{head}{separator}{sign} {_ranges(ordered)}"


def _ranges(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
