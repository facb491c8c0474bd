"""The project's suggestion model: trained on its confirmed codings, kept in memory only.

A model holds n-grams of the declarants' words, so it is derived sealed data: it is never
written to the database, a cache, a file or a backup. Each process keeps the latest model of
each project in memory and trains a new one (``do_train_coding_model``, audited) when the
confirmed codings have changed since, or a declarant among them was erased: the old model,
with the erased words, is dropped then. A restart forgets every model; the next coding screen
trains one again (docs/security.md, "Suggestion model").

Training reads every paragraph of each declaration that has a coding: a coded paragraph is a
positive example of each term coded on it (by any coder), and every other paragraph of the
same declaration counts as read and coded with none of them (the coding screen goes through
a declaration paragraph by paragraph). Paragraphs of erased declarants cannot be opened and
are left out.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from testimonio.crypto import open_value
from testimonio.declarations import (
    CodingModel,
    CombinedSuggestion,
    TrainingParagraph,
    train_coding_model,
)
from testimonio.web.audit.log import Actor, record_event
from testimonio.web.cases.models import Project
from testimonio.web.declarations.models import Declaration, ParagraphCoding
from testimonio.web.declarations.sealing import paragraph_context
from testimonio.web.evidence.models import DocumentParagraph
from testimonio.web.evidence.store import document_key
from testimonio.web.keys.models import DataKey
from testimonio.web.keys.ring import ErasedError


@dataclass(frozen=True)
class _Kept:
    fingerprint: str
    model: CodingModel


_MODELS: dict[int, _Kept] = {}
_LOCK = threading.Lock()


def training_fingerprint(project: Project) -> str:
    """What the model would be trained on, from ids alone (no paragraph is opened)."""
    codings = sorted(
        ParagraphCoding.objects.filter(declaration__project=project).values_list(
            "declaration__document__uuid", "paragraph_id", "term__code"
        )
    )
    owners = sorted({owner for owner, _, _ in codings})
    erased = sorted(
        str(owner)
        for owner in DataKey.objects.filter(owner__in=owners, wrapped__isnull=True).values_list(
            "owner", flat=True
        )
    )
    payload = repr(([(str(o), p, c) for o, p, c in codings], erased))
    return hashlib.sha256(payload.encode()).hexdigest()


def training_paragraphs(project: Project) -> list[TrainingParagraph]:
    """Every paragraph of the project's coded declarations, opened in memory, with its codes."""
    codes: dict[int, set[str]] = defaultdict(set)
    for paragraph_id, code in ParagraphCoding.objects.filter(
        declaration__project=project
    ).values_list("paragraph_id", "term__code"):
        codes[paragraph_id].add(code)
    declarations = (
        Declaration.objects.filter(project=project, codings__isnull=False)
        .select_related("document")
        .distinct()
    )
    paragraphs = []
    for declaration in declarations:
        document = declaration.document
        try:
            key = document_key(document)
        except ErasedError:
            continue
        for pk, number, text in DocumentParagraph.objects.filter(document=document).values_list(
            "pk", "number", "text"
        ):
            opened = open_value(bytes(text), paragraph_context(document, number), key)
            paragraphs.append(TrainingParagraph(str(pk), opened, frozenset(codes.get(pk, ())),
                                                str(declaration.pk)))  # fmt: skip
    return paragraphs


def do_train_coding_model(project: Project, actor: Actor) -> CodingModel:
    """Train the project's model on its confirmed codings now, keep it in memory, audit it."""
    fingerprint = training_fingerprint(project)
    model = train_coding_model(training_paragraphs(project))
    with transaction.atomic():
        record_event(
            actor,
            "declarations.coding_model.train",
            project,
            project_id=project.pk,
            details={
                "version": model.version,
                "paragraphs": model.paragraphs,
                "terms": list(model.terms),
                "lexicon_only": list(model.lexicon_only),
            },
        )
    with _LOCK:
        _MODELS[project.pk] = _Kept(fingerprint, model)
    return model


def current_model(project: Project, actor: Actor, *, train: bool = True) -> CodingModel | None:
    """The project's model, trained again first when its codings changed (unless ``train``
    is off: then the model in memory, however old, or None)."""
    with _LOCK:
        kept = _MODELS.get(project.pk)
    if not train:
        return kept.model if kept else None
    fingerprint = training_fingerprint(project)
    if kept is not None and kept.fingerprint == fingerprint:
        return kept.model
    if not ParagraphCoding.objects.filter(declaration__project=project).exists():
        return None
    return do_train_coding_model(project, actor)


def forget_models() -> None:
    """Drop every model in memory (tests; an operator's precaution)."""
    with _LOCK:
        _MODELS.clear()


def do_log_suggestions(
    declaration: Declaration, number: int, shown: list[CombinedSuggestion], actor: Actor
) -> None:
    """Record which terms were suggested to ``actor`` on a paragraph, each with its source and
    version (codes and versions only: never a word of the paragraph)."""
    details = {
        "paragraph": number,
        "suggestions": [
            {"code": s.code, "sources": list(s.sources), "version": s.suggested_by} for s in shown
        ],
    }
    with transaction.atomic():
        record_event(
            actor,
            "declarations.paragraph.suggest",
            declaration,
            project_id=declaration.project_id,
            details=details,
        )
