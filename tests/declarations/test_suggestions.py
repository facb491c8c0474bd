"""Lexicon suggestions, measured against the simulator's true tactics per paragraph."""

from __future__ import annotations

from testimonio.declarations.suggestions import score_suggestions, suggest_codes
from tests.declarations.conftest import SimulatedWorld

#: Measured on the fixture world (16 declarations): see docs/declarations.md.
MINIMUM_PRECISION = 0.9
MINIMUM_RECALL = 0.9


def test_it_suggests_the_tactic_a_paragraph_tells_in_either_language() -> None:
    assert suggest_codes("El oficial dijo: «Estamos llenos, no hay cupo».")[0].code == (
        "TAC.DENY.CAPACITY"
    )
    english = {s.code for s in suggest_codes("They told me the PORT IS FULL and pushed me back.")}
    assert english == {"TAC.DENY.CAPACITY", "TAC.PHYS_ABUSE.PUSH"}
    assert suggest_codes("I arrived in Tijuana in June.") == []


def test_every_suggestion_carries_the_lexicon_version() -> None:
    assert {s.model_version for s in suggest_codes("no hay asilo")} == {"lexicon-1"}


def test_precision_and_recall_on_the_simulators_declarations(world: SimulatedWorld) -> None:
    told: dict[tuple[str, str], set[str]] = {}
    for row in world.truth_rows("declaration_paragraphs.csv"):
        told[(row["record_id"], row["paragraph"])] = set(row["tactics_told"].split())
    cases = []
    for declaration in world.declarations:
        exhibit = declaration.index["exhibit"]
        for number, text in declaration.true_paragraphs():
            cases.append((text, told.get((exhibit, number), set())))
    precision, recall = score_suggestions(cases)
    assert precision >= MINIMUM_PRECISION and recall >= MINIMUM_RECALL
