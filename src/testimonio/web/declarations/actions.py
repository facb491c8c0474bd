"""Every change to declarations: add (read + seal), link to a person, number, code, redact.

Each ``do_*`` runs in one transaction and writes its audit event. Audit details hold ids,
counts and codes, never a word of a declaration or a file name (names are sealed).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from testimonio.declarations import Declaration as ReadDeclaration
from testimonio.declarations import (
    RedactedPdf,
    citation,
    read_declaration,
    redact_declaration,
    redacted_copy,
)
from testimonio.errors import InputError, ValidationError
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.actions import do_code_encounter
from testimonio.web.cases.models import Coding, Encounter, Person, Project, Source, Term
from testimonio.web.cases.resolve import resolve_term
from testimonio.web.declarations.linking import propose_person
from testimonio.web.declarations.models import (
    CodingPolicy,
    Declaration,
    LinkStatus,
    ParagraphCoding,
    SignatureStatus,
    policy_for,
)
from testimonio.web.declarations.reading import closing_facts, declarant_identity, rebuild
from testimonio.web.declarations.sealing import (
    open_paragraph,
    seal_derived_text,
    seal_paragraphs,
)
from testimonio.web.evidence.actions import (
    do_record_custody,
    do_register_derivative,
    do_register_document,
)
from testimonio.web.evidence.models import CustodyAction, CustodyEvent, Document, DocumentParagraph
from testimonio.web.evidence.store import document_key


def do_add_declaration(
    project: Project, data: bytes, filename: str, actor: Actor, *, source: Source | None = None
) -> Declaration:
    """Keep the original sealed (with its SHA-256), read it, and seal what was read.

    The original is registered first, in its own transaction: a document accepted as a
    document stays kept even when it cannot be read as a declaration (a scan with no text,
    a locked PDF), so nothing received is lost; the declaration and its paragraphs are then
    written together or not at all. The same bytes again give the same declaration.
    """
    document = do_register_document(project, data, filename, actor, source=source)
    existing = Declaration.objects.filter(document=document).first()
    if existing is not None:
        return existing
    try:
        read = read_declaration(data, filename)
    except InputError as error:
        raise InputError(
            f"{error} (the original is kept sealed as document {document.pk})"
        ) from None
    return _save_declaration(project, document, read, actor)


def _save_declaration(
    project: Project, document: Document, read: ReadDeclaration, actor: Actor
) -> Declaration:
    key = document_key(document)
    facts = closing_facts(read)
    declaration = Declaration(
        project=project,
        document=document,
        format=read.format,
        language=read.language,
        language_probability=read.language_probability,
        extractor=read.extractor,
        extractor_version=read.extractor_version,
        numbered=read.numbered,
        pages=read.pages,
        paragraph_count=len(read.paragraphs),
        text=seal_derived_text(document, read, key),
        date_signed=facts.date_signed,
        translator_certificate=facts.translator_certificate,
        interpreter=facts.interpreter,
        signature_status=facts.signature_status,
    )
    with transaction.atomic():
        declaration.save()
        DocumentParagraph.objects.bulk_create(seal_paragraphs(document, read, key))
        CustodyEvent.objects.create(
            document=document,
            action=CustodyAction.DERIVED,
            actor=_user(actor),
            note=f"text read by {read.extractor_version}: {len(read.paragraphs)} paragraphs",
        )
        record_event(
            actor,
            "declarations.declaration.add",
            declaration,
            project_id=project.pk,
            details={
                "document": document.pk,
                "sha256": document.sha256,
                "paragraphs": len(read.paragraphs),
                "language": read.language,
                "extractor": read.extractor_version,
                "ocr_pages": list(read.ocr_pages),
            },
        )
        _propose_link(declaration, read, actor)
    return declaration


def _propose_link(declaration: Declaration, read: ReadDeclaration, actor: Actor) -> None:
    proposal = propose_person(declaration.project, read)
    if proposal.status == LinkStatus.UNLINKED:
        return
    declaration.link_status = proposal.status
    declaration.proposed_person = proposal.person
    declaration.save(update_fields=["link_status", "proposed_person"])
    record_event(
        actor,
        "declarations.declaration.link_proposed",
        declaration,
        project_id=declaration.project_id,
        details={
            "status": proposal.status,
            "candidates": proposal.candidates,
            "person": proposal.person.pseudonym if proposal.person else None,
        },
    )


def do_link_declaration(declaration: Declaration, person: Person | None, actor: Actor) -> None:
    """Say whose declaration this is (or, with None, that it is nobody's known yet).

    The document follows its declaration, so erasing the person shreds both.
    """
    if person is not None and person.project_id != declaration.project_id:
        raise ValidationError("the person belongs to another project", column="person")
    with transaction.atomic():
        declaration.person = person
        declaration.link_status = LinkStatus.LINKED if person else LinkStatus.UNLINKED
        declaration.save(update_fields=["person", "link_status"])
        Document.objects.filter(pk=declaration.document_id).update(person=person)
        record_event(
            actor,
            "declarations.declaration.link",
            declaration,
            project_id=declaration.project_id,
            details={"person": person.pseudonym if person else None},
        )


def do_set_exhibit(
    declaration: Declaration, exhibit: str, actor: Actor, *, ecf_reference: str = ""
) -> None:
    """Number a declaration as an exhibit (and its docket entry once filed)."""
    exhibit, ecf_reference = exhibit.strip(), ecf_reference.strip()
    taken = Declaration.objects.filter(
        project_id=declaration.project_id, exhibit=exhibit, ecf_reference=ecf_reference
    ).exclude(pk=declaration.pk)
    if exhibit and taken.exists():
        raise ValidationError(f"exhibit {exhibit} is already another declaration", column="exhibit")
    if len(exhibit) > 20 or len(ecf_reference) > 40:
        raise ValidationError("exhibit (20) or ECF reference (40) too long", column="exhibit")
    with transaction.atomic():
        declaration.exhibit, declaration.ecf_reference = exhibit, ecf_reference
        declaration.save(update_fields=["exhibit", "ecf_reference"])
        record_event(
            actor,
            "declarations.declaration.exhibit",
            declaration,
            project_id=declaration.project_id,
            details={"exhibit": exhibit, "ecf_reference": ecf_reference},
        )


def do_set_translation(
    declaration: Declaration,
    original: Declaration | None,
    actor: Actor,
    *,
    interpreter: str = "",
    translator_certificate: bool | None = None,
    signature_status: str | None = None,
) -> None:
    """Say that ``declaration`` translates ``original`` (the one the declarant signed), who
    interpreted, and whether the translator's certificate and signature are there.

    Certificate and signature default to what was read from the attestation.
    """
    if original is not None and (
        original.project_id != declaration.project_id or original.pk == declaration.pk
    ):
        raise ValidationError("a translation's original is another declaration of the project")
    if signature_status is not None and signature_status not in SignatureStatus.values:
        raise ValidationError(f"unknown signature status {signature_status!r}", column="signature")
    with transaction.atomic():
        declaration.translation_of = original
        declaration.interpreter = interpreter.strip()[:200]
        if translator_certificate is not None:
            declaration.translator_certificate = translator_certificate
        if signature_status is not None:
            declaration.signature_status = signature_status
        declaration.save(
            update_fields=[
                "translation_of", "interpreter", "translator_certificate", "signature_status"
            ]
        )  # fmt: skip
        record_event(
            actor,
            "declarations.declaration.translation",
            declaration,
            project_id=declaration.project_id,
            details={
                "original": original.pk if original else None,
                "translator_certificate": declaration.translator_certificate,
                "signature_status": declaration.signature_status,
                "interpreter": bool(declaration.interpreter),
            },
        )


def do_code_paragraph(
    paragraph: DocumentParagraph,
    term: Term | str,
    encounter: Encounter | None,
    span: tuple[int, int] | None,
    actor: Actor,
    *,
    suggested_by: str = "",
) -> ParagraphCoding:
    """Mark a paragraph (or the characters ``span`` of it) as evidence of ``term``.

    ``suggested_by`` names the model version whose suggestion the coder confirmed (audited).

    With an encounter, the encounter is coded too (once per term, citing the paragraph), so
    the code reaches the analysis with its evidence.
    """
    declaration = Declaration.objects.select_related("project", "person").get(
        document_id=paragraph.document_id
    )
    project = declaration.project
    if isinstance(term, str):
        term = resolve_term(project, term, "term")
    elif term.version_id != project.vocabulary_id:
        raise ValidationError(f"{term} is not in this project's vocabulary", column="term")
    _check_encounter(declaration, encounter)
    _check_span(paragraph, span)
    coder = actor if isinstance(actor, User) else None
    if ParagraphCoding.objects.filter(paragraph=paragraph, term=term, coder=coder).exists():
        raise ValidationError(
            f"paragraph {paragraph.number} is already coded {term}", column="term"
        )
    with transaction.atomic():
        coding = _encounter_coding(declaration, paragraph, term, encounter, actor)
        marked = ParagraphCoding.objects.create(
            declaration=declaration,
            paragraph=paragraph,
            term=term,
            encounter=encounter,
            coding=coding,
            coder=coder,
            span_start=span[0] if span else None,
            span_end=span[1] if span else None,
        )
        record_event(
            actor,
            "declarations.paragraph.code",
            marked,
            project_id=project.pk,
            details={
                "declaration": declaration.pk,
                "paragraph": paragraph.number,
                "code": term.code,
                "encounter": encounter.pk if encounter else None,
                "span": list(span) if span else None,
                "suggested_by": suggested_by or None,
            },
        )
    return marked


def _check_encounter(declaration: Declaration, encounter: Encounter | None) -> None:
    if encounter is None:
        return
    if encounter.project_id != declaration.project_id:
        raise ValidationError("the encounter belongs to another project", column="encounter")
    if declaration.person_id is not None and encounter.person_id != declaration.person_id:
        raise ValidationError("the encounter is not one of the declarant's", column="encounter")


def _check_span(paragraph: DocumentParagraph, span: tuple[int, int] | None) -> None:
    if span is None:
        return
    start, end = span
    if not 0 <= start < end <= len(open_paragraph(paragraph)):
        raise ValidationError(
            f"span {start}-{end} is not within paragraph {paragraph.number}", column="span"
        )


def _encounter_coding(
    declaration: Declaration,
    paragraph: DocumentParagraph,
    term: Term,
    encounter: Encounter | None,
    actor: Actor,
) -> Coding | None:
    if encounter is None:
        return None
    existing = Coding.objects.filter(encounter=encounter, term=term).first()
    if existing is not None:
        return existing
    pseudonym = declaration.person.pseudonym if declaration.person else f"D-{declaration.pk}"
    cited = citation(
        declaration.exhibit, pseudonym, [str(paragraph.number)], declaration.ecf_reference
    )
    return do_code_encounter(encounter, term.code, actor, evidence=cited[:300])


def do_redact_declaration(declaration: Declaration, actor: Actor) -> RedactedPdf:
    """A filing copy with the declarant's identity replaced, kept as a derived document.

    What is removed: the names the declaration states and the linked person's sealed
    identity (names, birth dates, phones). The copy is checked by the core before it is
    returned; one that still holds an identity value is refused, never kept.
    """
    document = declaration.document
    read = rebuild(declaration)
    identity = declarant_identity(declaration)
    copy = redacted_copy(redact_declaration(read, identity))
    derived = do_register_derivative(document, copy.pdf, "redacted", actor)
    with transaction.atomic():
        record_event(
            actor,
            "declarations.declaration.redact",
            declaration,
            project_id=declaration.project_id,
            details={
                "copy": derived.pk,
                "replaced": sum(entry.count for entry in copy.log),
                "kinds": sorted({entry.kind for entry in copy.log}),
            },
        )
    return copy


def do_reveal_paragraphs(
    declaration: Declaration, actor: Actor, *, number: int | None = None
) -> list[dict[str, str]]:
    """The declaration's numbered paragraphs (or paragraph ``number`` alone), opened for
    ``actor``: audited, as a custody event (a reading of the document's text)."""
    document = declaration.document
    key = document_key(document)
    rows = DocumentParagraph.objects.filter(document=document).order_by("number")
    if number is not None:
        rows = rows.filter(number=number)
    opened = []
    for paragraph in rows:
        paragraph.document = document
        opened.append({"number": str(paragraph.number), "text": open_paragraph(paragraph, key)})
    note = "paragraphs read" if number is None else f"paragraph {number} read"
    do_record_custody(document, CustodyAction.VIEWED, actor, note=note)
    return opened


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def do_set_coding_policy(
    project: Project, actor: Actor, *, double_coding_share: float, minimum_alpha: float
) -> CodingPolicy:
    """Set how the project measures its coders; the event keeps the old and new values
    (numbers about the method, nothing about anyone)."""
    if not 0.0 <= double_coding_share <= 1.0:
        raise ValidationError("the double-coding share must be between 0 and 1")
    if not -1.0 <= minimum_alpha <= 1.0:
        raise ValidationError("the minimum alpha must be between -1 and 1")
    with transaction.atomic():
        policy = policy_for(project.pk)
        before = {"double_coding_share": policy.double_coding_share,
                  "minimum_alpha": policy.minimum_alpha}  # fmt: skip
        policy.double_coding_share = double_coding_share
        policy.minimum_alpha = minimum_alpha
        policy.save()
        record_event(
            actor,
            "declarations.coding_policy",
            project,
            project_id=project.pk,
            details={
                "before": before,
                "after": {"double_coding_share": double_coding_share,
                          "minimum_alpha": minimum_alpha},
            },
        )  # fmt: skip
    return policy
