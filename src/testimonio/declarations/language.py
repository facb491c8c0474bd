"""The language of a declaration, offline.

py3langid carries its model inside the package: nothing is downloaded at run time. It is
asked about the numbered paragraphs (the declarant's words), not the caption, which is in
English even in a Spanish declaration.
"""

from __future__ import annotations

from functools import cache

from py3langid import langid

__all__ = ["detect_language"]

#: Below this many letters the detector's answer is a guess: report no language.
MINIMUM_LETTERS = 20


@cache
def _identifier() -> langid.LanguageIdentifier:
    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and probability; ("", 0.0) when there is too little text to tell."""
    if sum(char.isalpha() for char in text) < MINIMUM_LETTERS:
        return "", 0.0
    code, probability = _identifier().classify(text)
    return str(code), float(probability)
