"""Suggested codes on the simulator's declarations: lexicon, model and both, cross-validated.

Precision and recall against the simulator's true tactics per paragraph
(``truth/declaration_paragraphs.csv``), with the model trained fold by fold on the other
declarations (5 folds by declaration), on the text as written and on the same text with one
word in ``--noise`` misread (the simulator's ``misspell``: a phonetic confusion or a keyboard
slip, as OCR and hurried transcription give). Also the processor seconds of one training on
every paragraph (of the last text: misread), which is what a background thread of the web
process pays when a project's codings change.

    .venv/bin/python benchmarks/declarations_suggestions.py --people 10000 --seed 7
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import tempfile
import time
from pathlib import Path

from testimonio.declarations import (
    TrainingParagraph,
    cross_validate_suggestions,
    train_coding_model,
)
from testimonio.simulation.config import default_config
from testimonio.simulation.noise import misspell
from testimonio.simulation.sources import declarations as simulated
from testimonio.simulation.sources.declaration_text import DeclarationText
from testimonio.simulation.world import generate_world


def simulated_paragraphs(people: int, seed: int, noise: float) -> list[TrainingParagraph]:
    """Every paragraph of the world's declarations with its true tactics (none: empty)."""
    written: list[DeclarationText] = []
    keep = lambda text, path: written.append(text)  # noqa: E731 -- the documents are not needed
    simulated._write_pdf, simulated._write_docx = keep, keep
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        generate_world(
            default_config(people=people, seed=seed, max_declaration_documents=10**6), out
        )
        with (out / "truth" / "declaration_paragraphs.csv").open(encoding="utf-8") as handle:
            told = {(r["record_id"], r["paragraph"]): frozenset(r["tactics_told"].split())
                    for r in csv.DictReader(handle)}  # fmt: skip
    rnd = random.Random(seed)
    paragraphs = []
    for number, text in enumerate(written, start=1):
        exhibit = f"Ex. {number}"
        for index, paragraph in enumerate(text.paragraphs, start=1):
            words = [misspell(w, rnd) if rnd.random() < noise else w for w in paragraph.split(" ")]
            codes = told.get((exhibit, str(index)), frozenset())
            paragraphs.append(
                TrainingParagraph(f"{exhibit}:{index}", " ".join(words), codes, exhibit)
            )
    return paragraphs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--noise", type=float, default=0.05)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(
        "| text | declarations | paragraphs | source | precision | recall"
        " | suggested | correct | true |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for noise in (0.0, args.noise):
        paragraphs = simulated_paragraphs(args.people, args.seed, noise)
        declarations = len({p.group for p in paragraphs})
        scores = cross_validate_suggestions(paragraphs, folds=5)
        label = "as written" if noise == 0 else f"{noise:.0%} words misread"
        for source, score in scores.items():
            print(
                f"| {label} | {declarations} | {len(paragraphs)} | {source} "
                f"| {score.precision:.3f} "
                f"| {score.recall:.3f} | {score.suggested} | {score.correct} | {score.true} |"
            )
    started = time.process_time()
    model = train_coding_model(paragraphs)
    print(
        f"training on {len(paragraphs)} paragraphs: {time.process_time() - started:.2f} "
        f"processor seconds, {len(model.terms)} terms learnt, "
        f"{len(model.lexicon_only)} left to the lexicon"
    )


if __name__ == "__main__":
    main()
