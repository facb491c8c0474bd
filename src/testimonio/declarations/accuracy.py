"""How many of a text's words OCR read back exactly: the measure the tests hold OCR to."""

from __future__ import annotations

from difflib import SequenceMatcher

__all__ = ["word_accuracy"]


def word_accuracy(truth: str, read: str) -> float:
    """Share of the true words found, in order, in what was read (1.0 is perfect).

    Words are compared exactly (case and accents count: "Nací" read as "Naci" is wrong),
    aligned by difflib so one missed word does not shift every word after it.
    """
    truth_words, read_words = truth.split(), read.split()
    if not truth_words:
        return 1.0 if not read_words else 0.0
    matcher = SequenceMatcher(a=truth_words, b=read_words, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(truth_words)
