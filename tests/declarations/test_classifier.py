"""The classifier trained on confirmed codings, beside the lexicon, on simulated declarations."""

from __future__ import annotations

import random

import pytest

from testimonio.declarations import (
    ModelSettings,
    TrainingParagraph,
    combine_suggestions,
    cross_validate_suggestions,
    train_coding_model,
)
from testimonio.simulation.noise import misspell
from tests.declarations.conftest import SimulatedWorld

#: about one word in twenty misread, as a scan read by OCR or a hurried transcription gives
WORD_NOISE = 0.05


def _paragraphs(world: SimulatedWorld, noise: float = 0.0) -> list[TrainingParagraph]:
    told = {
        (row["record_id"], row["paragraph"]): frozenset(row["tactics_told"].split())
        for row in world.truth_rows("declaration_paragraphs.csv")
    }
    rnd = random.Random(15)
    paragraphs = []
    for declaration in world.declarations:
        exhibit = declaration.index["exhibit"]
        for number, text in declaration.true_paragraphs():
            words = [misspell(w, rnd) if rnd.random() < noise else w for w in text.split(" ")]
            codes = told.get((exhibit, number), frozenset())
            paragraphs.append(TrainingParagraph(f"{exhibit}:{number}", " ".join(words), codes,
                                                exhibit))  # fmt: skip
    return paragraphs


def test_the_model_finds_tactics_the_lexicon_misses_in_misread_text(world: SimulatedWorld) -> None:
    scores = cross_validate_suggestions(_paragraphs(world, WORD_NOISE), folds=4)
    lexicon, model, both = scores["lexicon"], scores["model"], scores["both"]
    assert lexicon.true == model.true == both.true > 0
    assert both.recall > lexicon.recall
    assert model.correct > 0 and model.precision > 0.5


def test_the_same_codings_give_the_same_version_and_suggestions(world: SimulatedWorld) -> None:
    paragraphs = _paragraphs(world)
    first = train_coding_model(paragraphs)
    again = train_coding_model(list(reversed(paragraphs)))
    assert first.version == again.version and first.version.startswith("model-")
    texts = [p.text for p in paragraphs[:20]]
    assert first.probabilities(texts) == again.probabilities(texts)
    head = paragraphs[0]
    recoded = TrainingParagraph(head.key, head.text, frozenset({"TAC.DENY.CAPACITY"}), "x")
    changed = [recoded, *paragraphs[1:]]
    assert train_coding_model(changed).version != first.version


def test_a_term_with_too_few_confirmed_paragraphs_is_left_to_the_lexicon(
    world: SimulatedWorld,
) -> None:
    paragraphs = _paragraphs(world)
    counts: dict[str, int] = {}
    for paragraph in paragraphs:
        for code in paragraph.codes:
            counts[code] = counts.get(code, 0) + 1
    model = train_coding_model(paragraphs, ModelSettings(min_positives=5))
    assert set(model.terms) == {code for code, n in counts.items() if n >= 5}
    assert set(model.lexicon_only) == {code for code, n in counts.items() if n < 5}
    rare = model.lexicon_only[0]
    assert all(rare not in model.suggest(p.text) for p in paragraphs)


def test_each_suggestion_says_which_source_suggested_it(world: SimulatedWorld) -> None:
    model = train_coding_model(_paragraphs(world))
    assert "TAC.DENY.CAPACITY" in model.terms
    text = 'The officer said: "We are full. There is no space today."'
    [capacity] = [s for s in combine_suggestions(text, model) if s.code == "TAC.DENY.CAPACITY"]
    assert capacity.sources == ("lexicon", "model")
    assert capacity.suggested_by == f"lexicon-1+{model.version}"
    assert capacity.probability is not None and capacity.probability >= 0.5
    [alone] = combine_suggestions("no hay asilo", None)
    assert alone.sources == ("lexicon",) and alone.probability is None


def test_a_model_shows_nothing_of_its_training_text(world: SimulatedWorld) -> None:
    model = train_coding_model(_paragraphs(world))
    assert repr(model) == f"CodingModel({model.version}, {len(model.terms)} terms)"
    assert "officer" not in repr(model)


@pytest.mark.parametrize("codes", [set(), {"TAC.DENY.CAPACITY"}])
def test_without_enough_examples_there_is_no_model_and_the_lexicon_still_suggests(
    codes: set[str],
) -> None:
    model = train_coding_model([TrainingParagraph("1", "Estamos llenos.", frozenset(codes))])
    assert model.terms == ()
    [only] = combine_suggestions("Estamos llenos.", model)
    assert only.code == "TAC.DENY.CAPACITY" and only.sources == ("lexicon",)
