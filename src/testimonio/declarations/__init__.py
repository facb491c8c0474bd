"""Declarations: sworn documents read into their own numbered paragraphs, and redacted.

Plain Python (no Django): the web and the command line call :func:`read_declaration` with a
document's bytes and :func:`redact_declaration` / :func:`redact_pdf` for a copy to file.
Everything returned holds the declarant's words and must be sealed at rest by the caller.
"""

from __future__ import annotations

from testimonio.declarations.accuracy import word_accuracy
from testimonio.declarations.agreement import (
    Disagreement,
    Mark,
    TermAgreement,
    measure_agreement,
)
from testimonio.declarations.classifier import (
    CodingModel,
    CombinedSuggestion,
    ModelSettings,
    TrainingParagraph,
    combine_suggestions,
    suggest_for_paragraphs,
    train_coding_model,
)
from testimonio.declarations.declarant import (
    Declarant,
    citation,
    declarant_of,
    stated_interpreter,
)
from testimonio.declarations.filing import (
    RedactedPdf,
    RedactionIncomplete,
    redact_pdf,
    redacted_copy,
    render_declaration_pdf,
)
from testimonio.declarations.identity import Identity
from testimonio.declarations.model import Declaration, Paragraph
from testimonio.declarations.reading import read_declaration
from testimonio.declarations.redaction import (
    RedactedDeclaration,
    RedactionEntry,
    redact_declaration,
)
from testimonio.declarations.sampling import in_double_sample, sample_draw
from testimonio.declarations.search import MAX_QUERY, ParagraphQuery, fold, search_paragraphs
from testimonio.declarations.suggestion_scores import SourceScore, cross_validate_suggestions
from testimonio.declarations.suggestions import (
    LEXICON_VERSION,
    Suggestion,
    score_suggestions,
    suggest_codes,
)

__all__ = [
    "CodingModel",
    "CombinedSuggestion",
    "Declarant",
    "Declaration",
    "Disagreement",
    "Identity",
    "LEXICON_VERSION",
    "MAX_QUERY",
    "Mark",
    "ModelSettings",
    "Paragraph",
    "ParagraphQuery",
    "RedactedDeclaration",
    "RedactedPdf",
    "RedactionEntry",
    "RedactionIncomplete",
    "SourceScore",
    "Suggestion",
    "TermAgreement",
    "TrainingParagraph",
    "citation",
    "combine_suggestions",
    "cross_validate_suggestions",
    "declarant_of",
    "fold",
    "in_double_sample",
    "measure_agreement",
    "read_declaration",
    "redact_declaration",
    "redact_pdf",
    "redacted_copy",
    "render_declaration_pdf",
    "sample_draw",
    "score_suggestions",
    "search_paragraphs",
    "stated_interpreter",
    "suggest_codes",
    "suggest_for_paragraphs",
    "train_coding_model",
    "word_accuracy",
]
