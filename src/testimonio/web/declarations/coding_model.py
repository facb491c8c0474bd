"""The project's suggestion model: trained on its confirmed codings, kept in memory only.

A model holds n-grams of the declarants' words, so it is derived sealed data: it is never
written to the database, a cache, a file or a backup. Each process keeps the latest model of
each project in memory and trains a new one (``do_train_coding_model``, audited) when the
confirmed codings have changed since, or a declarant among them was erased.

Training takes seconds (more on OCR-noisy text, growing with the project), so it never runs
inside a request: while the kept model is stale because codings changed, the coding screen
keeps serving it (its version is shown and logged with each suggestion, so this is honest)
and one daemon thread per project trains the next one. With no model yet, the lexicon alone
suggests while the first one trains. When a declarant whose paragraphs the kept model learnt
from is erased, that model is dropped at once, not served while its successor trains (privacy
first). A restart forgets every model; the next coding screen starts training one again
(docs/security.md, "Suggestion model").

Tests call :func:`defer_trainings` so that a training waits, instead of starting a thread, until
:func:`run_deferred_trainings` runs it on the test's own thread and database connection (a
test's data is inside its transaction, which another thread's connection cannot see).

Training reads every paragraph of each declaration that has a coding: a coded paragraph is a
positive example of each term coded on it (by any coder), and every other paragraph of the
same declaration counts as read and coded with none of them (the coding screen goes through
a declaration paragraph by paragraph). Paragraphs of erased declarants cannot be opened and
are left out.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction

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

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Kept:
    fingerprint: str
    model: CodingModel
    #: the key owners (document uuids) of the declarations whose paragraphs it learnt
    owners: frozenset[str]


_MODELS: dict[int, _Kept] = {}
#: projects whose next model is being trained (or waits to be): one training per project
_TRAINING: set[int] = set()
#: when a list (tests), trainings wait in it for :func:`run_deferred_trainings`
_DEFERRED: list[Callable[[], None]] | None = None
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
    paragraphs, _ = _training_set(project)
    return paragraphs


def _training_set(project: Project) -> tuple[list[TrainingParagraph], frozenset[str]]:
    """The training paragraphs and the key owners of the declarations they come from."""
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
    owners = set()
    for declaration in declarations:
        document = declaration.document
        try:
            key = document_key(document)
        except ErasedError:
            continue
        owners.add(str(document.uuid))
        for pk, number, text in DocumentParagraph.objects.filter(document=document).values_list(
            "pk", "number", "text"
        ):
            opened = open_value(bytes(text), paragraph_context(document, number), key)
            paragraphs.append(TrainingParagraph(str(pk), opened, frozenset(codes.get(pk, ())),
                                                str(declaration.pk)))  # fmt: skip
    return paragraphs, frozenset(owners)


def do_train_coding_model(project: Project, actor: Actor) -> CodingModel:
    """Train the project's model on its confirmed codings now, keep it in memory, audit it."""
    fingerprint = training_fingerprint(project)
    paragraphs, owners = _training_set(project)
    model = train_coding_model(paragraphs)
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
        _MODELS[project.pk] = _Kept(fingerprint, model, owners)
    return model


def current_model(project: Project, actor: Actor, *, train: bool = True) -> CodingModel | None:
    """The model to serve now: never trained here.

    The kept model is dropped first if a declarant it learnt from was erased. When the
    codings changed since it was trained (or there is none), a training in the background
    starts (unless ``train`` is off), and the kept model, however old, is served meanwhile:
    None (the lexicon alone) when there is none.
    """
    with _LOCK:
        kept = _MODELS.get(project.pk)
    if kept is not None and _learnt_from_erased(kept):
        with _LOCK:
            if _MODELS.get(project.pk) is kept:
                del _MODELS[project.pk]
        kept = None
    if not train:
        return kept.model if kept else None
    if kept is not None and kept.fingerprint == training_fingerprint(project):
        return kept.model
    if not ParagraphCoding.objects.filter(declaration__project=project).exists():
        return None
    start_training(project.pk, actor)
    return kept.model if kept else None


def _learnt_from_erased(kept: _Kept) -> bool:
    return DataKey.objects.filter(owner__in=kept.owners, wrapped__isnull=True).exists()


def start_training(project_id: int, actor: Actor) -> bool:
    """Start training the project's next model in a daemon thread, unless one is under way
    (then False). The thread closes its own database connections."""
    with _LOCK:
        if project_id in _TRAINING:
            return False
        _TRAINING.add(project_id)
        deferred = _DEFERRED

    def work() -> None:
        try:
            do_train_coding_model(Project.objects.get(pk=project_id), actor)
        except Exception as failure:  # a failed training leaves the kept model served
            # the type only: a message could quote a paragraph
            logger.error("coding model training failed for project %s: %s", project_id,
                         type(failure).__name__)  # fmt: skip
        finally:
            with _LOCK:
                _TRAINING.discard(project_id)

    if deferred is not None:
        deferred.append(work)
        return True

    def run() -> None:
        try:
            work()
        finally:
            connections.close_all()  # this thread's own connections

    threading.Thread(target=run, name=f"coding-model-{project_id}", daemon=True).start()
    return True


def is_training(project_id: int) -> bool:
    """Whether the project's next model is being trained (or waits to be)."""
    with _LOCK:
        return project_id in _TRAINING


def defer_trainings() -> None:
    """Tests: trainings wait for :func:`run_deferred_trainings` instead of starting a thread."""
    global _DEFERRED
    with _LOCK:
        _DEFERRED = []


def run_deferred_trainings() -> int:
    """Tests: run the waiting trainings on this thread, return how many ran."""
    with _LOCK:
        waiting = list(_DEFERRED or ())
        if _DEFERRED is not None:
            _DEFERRED.clear()
    for work in waiting:
        work()
    return len(waiting)


def forget_models() -> None:
    """Drop every model in memory and every training waiting (tests; an operator's
    precaution: a training already running still keeps its model when it ends)."""
    global _DEFERRED
    with _LOCK:
        _MODELS.clear()
        _TRAINING.clear()
        _DEFERRED = None


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
