"""Precision and recall of suggested codes by source (lexicon, model, both), cross-validated.

The model is scored only on paragraphs of declarations it was not trained on: the paragraphs
are split into folds by declaration (scikit-learn's ``GroupKFold``), so a declarant's own
phrasing in one paragraph never helps the model on another of theirs. Each fold trains on the
others, as a project that has coded them would; scores are summed over the folds (a
micro-average over every (paragraph, term) decision).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from testimonio.declarations.classifier import (
    ModelSettings,
    TrainingParagraph,
    suggest_for_paragraphs,
    train_coding_model,
)

__all__ = ["SourceScore", "cross_validate_suggestions"]

SOURCES = ("lexicon", "model", "both")


@dataclass(frozen=True)
class SourceScore:
    source: str
    suggested: int
    correct: int
    true: int

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.true if self.true else 0.0


def cross_validate_suggestions(
    paragraphs: Sequence[TrainingParagraph],
    *,
    folds: int = 5,
    settings: ModelSettings | None = None,
) -> dict[str, SourceScore]:
    """Score the lexicon, the model and their union over ``folds`` folds by declaration."""
    from sklearn.model_selection import GroupKFold

    tallies = {source: [0, 0, 0] for source in SOURCES}
    groups = [p.group or p.key for p in paragraphs]
    splitter = GroupKFold(n_splits=min(folds, len(set(groups))))
    for train, test in splitter.split(paragraphs, groups=groups):
        model = train_coding_model([paragraphs[i] for i in train], settings)
        shown = suggest_for_paragraphs([paragraphs[i].text for i in test], model)
        for i, suggestions in zip(test, shown, strict=True):
            truth = paragraphs[i].codes
            by_source = {
                "lexicon": {s.code for s in suggestions if s.lexicon_version},
                "model": {s.code for s in suggestions if s.model_version},
                "both": {s.code for s in suggestions},
            }
            for source, codes in by_source.items():
                tally = tallies[source]
                tally[0] += len(codes)
                tally[1] += len(codes & truth)
                tally[2] += len(truth)
    return {source: SourceScore(source, *tally) for source, tally in tallies.items()}
