"""Declaration search speed: sealed paragraphs opened in memory, against a plaintext FTS index.

Testimonio keeps no index of paragraph words (docs/security.md, "Searching declarations"), so
a search opens every paragraph it may read. This measures what that costs, side by side with
what a user would otherwise build: an SQLite FTS5 index of the same paragraphs in clear
(unicode61 tokenizer with diacritics removed, prefix queries), in the same run.

The paragraphs are the DOCX declarations of a simulated world (read with
``read_declaration``), repeated until ``--declarations`` documents, each under its own data key
and sealed paragraph by paragraph as the web app seals them (AES-256-GCM bound to the
document and paragraph number). Timed: opening and matching every paragraph for three
queries (a word, two words, a phrase), against FTS5 build once plus the same three queries.
Database reads are not included in either (the web search streams rows in batches).

    .venv/bin/python benchmarks/declarations_search.py [--declarations 5000] [--world DIR]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from testimonio.crypto import Key, SealContext, open_value, seal_value
from testimonio.declarations import read_declaration
from testimonio.declarations.search import ParagraphQuery, search_paragraphs
from testimonio.simulation.config import default_config
from testimonio.simulation.world import generate_world

QUERIES = (("threat", "threat*"), ("miedo regreso", "miedo regreso"),
           ('"san ysidro"', '"san ysidro"'))  # fmt: skip


def cpu() -> float:
    times = os.times()
    return times.user + times.system


def paragraphs_of(world: Path) -> list[list[str]]:
    documents = sorted((world / "declarations" / "documents").glob("*.docx"))
    return [[p.text for p in read_declaration(d.read_bytes(), d.name).paragraphs]
            for d in documents]  # fmt: skip


def sealed_corpus(texts: list[list[str]], count: int) -> list[tuple[Key, str, list[bytes]]]:
    corpus = []
    for index in range(count):
        key, owner = Key.generate(), f"doc-{index}"
        paragraphs = texts[index % len(texts)]
        sealed = [seal_value(text, SealContext("evidence.documentparagraph", "text",
                                               f"{owner}:{n}"), key)
                  for n, text in enumerate(paragraphs, start=1)]  # fmt: skip
        corpus.append((key, owner, sealed))
    return corpus


def ours(corpus: list[tuple[Key, str, list[bytes]]], text: str) -> int:
    query = ParagraphQuery.parse(text)

    def opened():  # type: ignore[no-untyped-def]
        for key, owner, sealed in corpus:
            for number, value in enumerate(sealed, start=1):
                context = SealContext("evidence.documentparagraph", "text", f"{owner}:{number}")
                yield (owner, number), open_value(value, context, key)

    return sum(1 for _ in search_paragraphs(opened(), query))


def fts(texts: list[list[str]], count: int) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE p USING fts5(body, tokenize='unicode61 "
                       "remove_diacritics 2')")  # fmt: skip
    rows = ((text,) for index in range(count) for text in texts[index % len(texts)])
    connection.executemany("INSERT INTO p(body) VALUES (?)", rows)
    connection.commit()
    return connection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=5000)
    parser.add_argument("--world", type=Path, help="a folder written by testimonio simulate")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        world = arguments.world
        if world is None:
            world = Path(scratch)
            generate_world(default_config(people=8000, seed=3), world)
        texts = paragraphs_of(world)
    count = arguments.declarations
    corpus = sealed_corpus(texts, count)
    paragraphs = sum(len(sealed) for _, _, sealed in corpus)
    print(f"{count:,} declarations, {paragraphs:,} sealed paragraphs "
          f"(from {len(texts)} simulated DOCX); load {os.getloadavg()[0]:.1f}")  # fmt: skip
    start, used = time.perf_counter(), cpu()
    index = fts(texts, count)
    built = (time.perf_counter() - start, cpu() - used)
    print(f"FTS5 plaintext index built in {built[0]:.2f} s ({built[1]:.2f} CPU s)\n")
    print("| query | paragraphs found (ours) | ours s (CPU s) | found (FTS5) | FTS5 query s |")
    print("|---|---:|---:|---:|---:|")
    for ours_text, fts_text in QUERIES:
        start, used = time.perf_counter(), cpu()
        found = ours(corpus, ours_text)
        wall, spent = time.perf_counter() - start, cpu() - used
        start = time.perf_counter()
        matched = index.execute("SELECT count(*) FROM p WHERE p MATCH ?", (fts_text,)).fetchone()
        fts_wall = time.perf_counter() - start
        print(f"| `{ours_text}` | {found:,} | {wall:.2f} ({spent:.2f}) | {matched[0]:,} | "
              f"{fts_wall:.3f} |")  # fmt: skip
    print(f"\nload at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
