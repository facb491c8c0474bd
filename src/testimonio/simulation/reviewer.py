"""The paralegal who reviews a proposed mapping profile for a simulated organisation's file.

In real use a person reads the proposal's ``review`` notes and writes down what each wording
means; for the simulated organisations we know their wordings (``phrases``), so the demo and
tests can import their files as a team would after that review. Nothing here is used on real
data.
"""

from __future__ import annotations

from dataclasses import replace

from testimonio.ingest.mapping import FieldMapping, MappingProfile, propose_mapping
from testimonio.ingest.tables import Table
from testimonio.simulation.phrases import OUTCOME_WORDS, TACTIC_WORDS
from testimonio.vocab.bundle import Bundle

#: Wordings of gender in the simulated sources -> (sex if known, gender identity).
GENDER_WORDS = {
    "male": ("male", "man"),
    "female": ("female", "woman"),
    "hombre": ("male", "man"),
    "mujer": ("female", "woman"),
    "h": ("male", "man"),
    "m": ("female", "woman"),
    "trans woman": ("unknown", "transgender_woman"),
    "mujer_trans": ("unknown", "transgender_woman"),
    "mujer trans": ("unknown", "transgender_woman"),
    "trans man": ("unknown", "transgender_man"),
    "hombre trans": ("unknown", "transgender_man"),
    "hombre_trans": ("unknown", "transgender_man"),
    "non-binary": ("unknown", "non_binary"),
    "no binario": ("unknown", "non_binary"),
    "no_binarie": ("unknown", "non_binary"),
}


def reviewed_mapping(table: Table, vocabulary: Bundle, source: str) -> MappingProfile:
    """The proposal for ``table`` with every tactic, outcome and gender wording resolved."""
    profile = propose_mapping(table, vocabulary, source=source)
    fields = dict(profile.fields)
    if "tactics" in fields:
        fields["tactics"] = _with_values(fields["tactics"], _tactic_words())
    if "outcome" in fields:
        fields["outcome"] = _with_values(fields["outcome"], _outcome_words())
    if "sex" in fields:
        column = fields["sex"].column
        fields["sex"] = FieldMapping(column, {w: sex for w, (sex, _) in _cases(GENDER_WORDS)})
        fields.setdefault(
            "gender_identity",
            FieldMapping(column, {w: identity for w, (_, identity) in _cases(GENDER_WORDS)}),
        )
    repeat = profile.repeat
    if repeat is not None:  # the repeat group's encounters use the same wordings
        repeat_fields = dict(repeat.fields)
        if "tactics" in repeat_fields:
            repeat_fields["tactics"] = _with_values(repeat_fields["tactics"], _tactic_words())
        if "outcome" in repeat_fields:
            repeat_fields["outcome"] = _with_values(repeat_fields["outcome"], _outcome_words())
        repeat = replace(repeat, fields=repeat_fields)
    return replace(profile, fields=fields, review=[], repeat=repeat)


def _with_values(mapping: FieldMapping, words: dict[str, str]) -> FieldMapping:
    return replace(mapping, values={**mapping.values, **words})


def _tactic_words() -> dict[str, str]:
    words = {}
    for code, phrase in TACTIC_WORDS.items():
        for wording in (phrase.english, phrase.spanish, phrase.kobo_choice):
            words[wording] = code
    return words


def _outcome_words() -> dict[str, str]:
    return {wording: code for code, pair in OUTCOME_WORDS.items() for wording in pair}


def _cases(words: dict[str, tuple[str, str]]) -> list[tuple[str, tuple[str, str]]]:
    """Each wording as written in lower case and with a capital, as the sources write them."""
    return [
        (form, value)
        for word, value in words.items()
        for form in dict.fromkeys((word, word.capitalize(), word.title()))
    ]
