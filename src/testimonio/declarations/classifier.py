"""Suggested codes learnt from a project's confirmed codings (scikit-learn), beside the lexicon.

One logistic regression per term (one-vs-rest, liblinear's dual problem) over TF-IDF word
(1-2) and character (2-5, within words) n-grams of the folded text (case and accents
ignored), so English and Spanish paragraphs, misspellings and OCR slips share features.
A term with fewer than ``min_positives`` confirmed paragraphs is not learnt: the lexicon
alone suggests it.

What must always hold: a model is derived from sealed paragraph text (its vocabulary of
n-grams holds the declarants' words), so it is never written anywhere by this module, and
its ``repr`` shows only its version. Training is deterministic (fixed ``random_state``, sorted
input), and the version is a hash of the training paragraphs' keys and codes, the settings
and the scikit-learn version: the same confirmed codings give the same version and the same
suggestions. scikit-learn is imported on first training, not with the package.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from testimonio.declarations.identity import fold
from testimonio.declarations.suggestions import LEXICON_VERSION, suggest_codes

__all__ = [
    "CodingModel",
    "CombinedSuggestion",
    "ModelSettings",
    "TrainingParagraph",
    "combine_suggestions",
    "suggest_for_paragraphs",
    "train_coding_model",
]


@dataclass(frozen=True)
class TrainingParagraph:
    """A paragraph a coder has read, with every term confirmed on it (empty: none applies).

    ``key`` is a stable id (the stored paragraph's id) that enters the model version; it
    must not be derived from the text.
    """

    key: str
    text: str = field(repr=False)
    codes: frozenset[str]
    #: the declaration it belongs to: cross-validation keeps a declaration in one fold
    group: str = ""


@dataclass(frozen=True)
class ModelSettings:
    #: below this many confirmed paragraphs, a term is left to the lexicon
    min_positives: int = 5
    #: a term is suggested when its probability reaches this
    threshold: float = 0.5
    #: inverse regularisation strength of each logistic regression
    C: float = 10.0
    random_state: int = 0


@dataclass(frozen=True)
class CombinedSuggestion:
    """One suggested term and what suggested it: the lexicon, the model, or both."""

    code: str
    lexicon_version: str | None
    model_version: str | None
    #: the model's probability for the term (None when the model does not know the term)
    probability: float | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(
            name
            for name, version in (("lexicon", self.lexicon_version), ("model", self.model_version))
            if version
        )

    @property
    def suggested_by(self) -> str:
        """The versions that suggested it, as a confirmed coding records them."""
        return "+".join(v for v in (self.lexicon_version, self.model_version) if v)


class CodingModel:
    """A trained suggestion model: :meth:`suggest` gives the terms it would suggest."""

    def __init__(
        self,
        version: str,
        terms: tuple[str, ...],
        lexicon_only: tuple[str, ...],
        pipeline: Any,
        settings: ModelSettings,
        paragraphs: int,
    ) -> None:
        self.version = version
        #: the terms the model learnt, in the order of its outputs
        self.terms = terms
        #: terms seen in the codings with too few examples: the lexicon alone suggests them
        self.lexicon_only = lexicon_only
        self.settings = settings
        self.paragraphs = paragraphs
        self._pipeline = pipeline

    def __repr__(self) -> str:
        return f"CodingModel({self.version}, {len(self.terms)} terms)"

    def probabilities(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Each text's probability of every learnt term."""
        if self._pipeline is None or not texts:
            return [{} for _ in texts]
        rows = self._pipeline.predict_proba(list(texts))
        if len(self.terms) == 1:
            rows = rows[:, 1:]
        return [dict(zip(self.terms, map(float, row), strict=True)) for row in rows]

    def suggest(self, text: str) -> dict[str, float]:
        """The learnt terms whose probability reaches the threshold, with it."""
        [found] = self.probabilities([text])
        return {code: p for code, p in found.items() if p >= self.settings.threshold}


def train_coding_model(
    paragraphs: Iterable[TrainingParagraph], settings: ModelSettings | None = None
) -> CodingModel:
    """Learn each term with at least ``settings.min_positives`` confirmed paragraphs."""
    settings = settings or ModelSettings()
    rows = sorted(paragraphs, key=lambda p: p.key)
    counts: dict[str, int] = {}
    for row in rows:
        for code in row.codes:
            counts[code] = counts.get(code, 0) + 1
    terms = tuple(sorted(c for c, n in counts.items() if settings.min_positives <= n < len(rows)))
    lexicon_only = tuple(sorted(set(counts) - set(terms)))
    version = model_version(rows, settings)
    pipeline = _fit(rows, terms, settings) if terms else None
    return CodingModel(version, terms, lexicon_only, pipeline, settings, len(rows))


def model_version(rows: Sequence[TrainingParagraph], settings: ModelSettings) -> str:
    """``model-`` and 12 hex digits of SHA-256 over the training data, settings and library."""
    from sklearn import __version__ as sklearn_version

    payload = {
        "data": [[row.key, sorted(row.codes)] for row in sorted(rows, key=lambda r: r.key)],
        "settings": asdict(settings),
        "features": FEATURES,
        "sklearn": sklearn_version,
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return f"model-{digest[:12]}"


#: the feature settings, part of the version
FEATURES = {
    "word": [1, 2],
    "char_wb": [2, 5],
    "sublinear_tf": True,
    "min_df": 2,
    "solver": "liblinear",
    "dual": True,
}


def _fit(rows: Sequence[TrainingParagraph], terms: tuple[str, ...], settings: ModelSettings) -> Any:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(
            preprocessor=fold,
            analyzer="word",
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=2,
            dtype=np.float32,
        ),
        TfidfVectorizer(
            preprocessor=fold,
            analyzer="char_wb",
            ngram_range=(2, 5),
            sublinear_tf=True,
            min_df=2,
            dtype=np.float32,
        ),
    )
    # The dual problem (same L2 optimum): its size is the number of paragraphs, not of n-grams,
    # of which misread text has many more; the primal took ten times longer to converge on it.
    classifier = OneVsRestClassifier(
        LogisticRegression(
            C=settings.C,
            solver="liblinear",
            dual=True,
            max_iter=1000,
            random_state=settings.random_state,
        )
    )
    pipeline = make_pipeline(features, classifier)
    labels = np.array([[int(code in row.codes) for code in terms] for row in rows])
    # One term is a binary problem, whose probabilities come as (absent, present) columns.
    pipeline.fit([row.text for row in rows], labels[:, 0] if len(terms) == 1 else labels)
    return pipeline


def combine_suggestions(text: str, model: CodingModel | None) -> list[CombinedSuggestion]:
    """The union of the lexicon's and the model's suggestions, each with its source(s).

    Both first, then the model's by probability, then the lexicon's alone (by code); a term the
    model learnt keeps its probability even when only the lexicon suggests it, so a coder sees
    that the model doubts it.
    """
    [found] = suggest_for_paragraphs([text], model)
    return found


def suggest_for_paragraphs(
    texts: Sequence[str], model: CodingModel | None
) -> list[list[CombinedSuggestion]]:
    """:func:`combine_suggestions` for many paragraphs at once (the model predicts in one go)."""
    every = model.probabilities(texts) if model is not None else [{} for _ in texts]
    return [
        _combined(text, model, probabilities)
        for text, probabilities in zip(texts, every, strict=True)
    ]


def _combined(
    text: str, model: CodingModel | None, probabilities: dict[str, float]
) -> list[CombinedSuggestion]:
    lexicon = {s.code for s in suggest_codes(text)}
    threshold = model.settings.threshold if model is not None else 1.0
    learnt = {code for code, p in probabilities.items() if p >= threshold}
    found = [
        CombinedSuggestion(
            code,
            LEXICON_VERSION if code in lexicon else None,
            model.version if model is not None and code in learnt else None,
            probabilities.get(code),
        )
        for code in lexicon | learnt
    ]
    return sorted(found, key=lambda s: (-len(s.sources), -(s.probability or 0.0), s.code))
