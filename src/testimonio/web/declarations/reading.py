"""From sealed rows back to what the core reads and redacts, inside the trust boundary.

Nothing here audits: the actions that call it do (a redaction, a reveal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import dateparser

from testimonio.declarations import Declaration as ReadDeclaration
from testimonio.declarations import Identity, Paragraph, stated_interpreter
from testimonio.web.cases.models import Record
from testimonio.web.declarations.models import Declaration, SignatureStatus
from testimonio.web.declarations.sealing import open_derived_text, open_paragraph
from testimonio.web.evidence.models import DocumentParagraph
from testimonio.web.evidence.store import document_key
from testimonio.web.keys.identity import open_identity

SIGNED = re.compile(r"(?:^|\s)/[sf]/\s*\S|^_{5,}\s*$", re.MULTILINE)
EXECUTED = re.compile(
    r"(?:executed\s+on|firmado\s+el|signed\s+on|dated:?)\s+(?P<date>[^.;\n]{6,40}?\d{4})", re.I
)


@dataclass(frozen=True)
class ClosingFacts:
    date_signed: date | None
    translator_certificate: bool
    signature_status: str
    interpreter: str = ""


def closing_facts(read: ReadDeclaration) -> ClosingFacts:
    """What the attestation says: when it was signed, whether it bears a signature ("/s/",
    a signature line with a name) and whether a translator's certificate follows."""
    closing = "\n".join(read.closing)
    if not closing:
        return ClosingFacts(None, False, SignatureStatus.UNKNOWN)
    when = EXECUTED.search(closing)
    signed = when is not None or bool(SIGNED.search(closing))
    certificate, interpreter = stated_interpreter(closing)
    return ClosingFacts(
        _date(when.group("date")) if when else None,
        certificate,
        SignatureStatus.SIGNED if signed else SignatureStatus.UNSIGNED,
        interpreter[:200],
    )


def _date(text: str) -> date | None:
    parsed = dateparser.parse(text, languages=["en", "es"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


def rebuild(declaration: Declaration) -> ReadDeclaration:
    """The read declaration again, from its sealed paragraphs and derived text."""
    document = declaration.document
    key = document_key(document)
    derived = open_derived_text(document, bytes(declaration.text), key)
    paragraphs = []
    for row in DocumentParagraph.objects.filter(document=document).order_by("number"):
        row.document = document
        number = str(row.number)
        marker = derived.markers.get(number, f"{number}.")
        paragraphs.append(Paragraph(number, marker, open_paragraph(row, key)))
    return ReadDeclaration(
        filename=f"declaration {declaration.pk}",
        format=declaration.format,
        extractor=declaration.extractor,
        extractor_version=declaration.extractor_version,
        text="\n".join(p.text for p in paragraphs),
        paragraphs=paragraphs,
        preamble=derived.preamble,
        closing=derived.closing,
        language=declaration.language,
        language_probability=declaration.language_probability,
        pages=declaration.pages,
        warnings=derived.warnings,
    )


def declarant_identity(declaration: Declaration) -> Identity:
    """What the linked person's records hold (names, birth dates, phones), plus the
    pseudonym; the core adds the names the declaration states itself."""
    person = declaration.person
    if person is None:
        return Identity(pseudonym="")
    names: list[str] = []
    born: list[date] = []
    phones: list[str] = []
    for record in Record.objects.filter(person=person):
        identity = open_identity(record)
        whole = identity.full_name or f"{identity.given_names} {identity.surnames}".strip()
        names += [n for n in (whole, identity.surnames) if n]
        phones += [identity.phone] if identity.phone else []
        if len(identity.birth_date) == 10:
            born.append(date.fromisoformat(identity.birth_date))
    return Identity(
        names=list(dict.fromkeys(names)),
        pseudonym=person.pseudonym,
        birth_dates=list(dict.fromkeys(born)),
        phones=list(dict.fromkeys(phones)),
    )
