"""Search a project's declarations for words: opened in memory, never indexed, audited.

:mod:`testimonio.declarations.search` says why there is no index. Here the project's sealed
paragraphs are read a declaration at a time (one data key each), matched, and forgotten;
what comes back is where the words are (declaration, exhibit, pseudonym, paragraph number,
the citation), never the text, which the declaration's page shows to whoever opens it
(itself audited). The search is recorded as ``declarations.search`` with how many
declarations and paragraphs were read and how many matched, never the words searched for:
they may be a name. A declaration whose person was erased has no key any more and is
skipped (and counted).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from testimonio.crypto import Key, open_value
from testimonio.declarations import ParagraphQuery, citation, search_paragraphs
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Project
from testimonio.web.declarations.models import Declaration
from testimonio.web.declarations.sealing import paragraph_context
from testimonio.web.evidence.models import DocumentParagraph
from testimonio.web.evidence.store import document_key
from testimonio.web.keys.ring import ErasedError

__all__ = ["DeclarationHit", "SearchOutcome", "do_search_declarations"]

#: Paragraphs fetched per query: bounds memory on a large project.
BATCH = 2000


@dataclass(frozen=True)
class DeclarationHit:
    declaration_id: int
    pseudonym: str
    exhibit: str
    paragraphs: tuple[int, ...]
    cite: str


@dataclass(frozen=True)
class SearchOutcome:
    hits: tuple[DeclarationHit, ...]
    declarations_read: int
    paragraphs_read: int
    skipped_erased: int

    @property
    def paragraphs_found(self) -> int:
        return sum(len(hit.paragraphs) for hit in self.hits)


def do_search_declarations(project: Project, query: ParagraphQuery, actor: Actor) -> SearchOutcome:
    """Every declaration of ``project`` with a paragraph matching ``query``, in list order."""
    declarations = list(
        Declaration.objects.filter(project=project).select_related("document", "person")
    )
    by_document = {declaration.document_id: declaration for declaration in declarations}
    keys: dict[int, Key | None] = {}
    rows = (
        DocumentParagraph.objects.filter(document_id__in=list(by_document))
        .order_by("document_id", "number")
        .values_list("document_id", "number", "text")
        .iterator(chunk_size=BATCH)
    )
    found: dict[int, list[int]] = defaultdict(list)
    read = [0]

    def opened() -> Iterator[tuple[tuple[int, int], str]]:
        for document_id, number, text in rows:
            document = by_document[document_id].document
            if document_id not in keys:
                try:
                    keys[document_id] = document_key(document)
                except ErasedError:
                    keys[document_id] = None
            key = keys[document_id]
            if key is not None:
                read[0] += 1
                yield (
                    (document_id, number),
                    open_value(bytes(text), paragraph_context(document, number), key),
                )

    for document_id, number in search_paragraphs(opened(), query):
        found[by_document[document_id].pk].append(number)
    skipped = sum(1 for key in keys.values() if key is None)
    paragraphs_read = read[0]
    hits = tuple(
        _hit(declaration, tuple(found[declaration.pk]))
        for declaration in declarations
        if declaration.pk in found
    )
    outcome = SearchOutcome(hits, len(keys) - skipped, paragraphs_read, skipped)
    with transaction.atomic():
        record_event(actor, "declarations.search", project, project_id=project.pk, details={
            "declarations": outcome.declarations_read, "paragraphs": paragraphs_read,
            "found": outcome.paragraphs_found, "skipped_erased": skipped,
        })  # fmt: skip
    return outcome


def _hit(declaration: Declaration, numbers: tuple[int, ...]) -> DeclarationHit:
    pseudonym = declaration.person.pseudonym if declaration.person else f"D-{declaration.pk}"
    cite = citation(declaration.exhibit, pseudonym, [str(n) for n in numbers],
                    declaration.ecf_reference)  # fmt: skip
    return DeclarationHit(declaration.pk, pseudonym, declaration.exhibit, numbers, cite)
