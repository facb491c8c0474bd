"""Declaration reading speed: 300 text-layer PDFs and DOCX, and OCR seconds per scanned page.

Uses a simulated world's declarations (``testimonio simulate``; made in a temporary folder
when ``--world`` is not given: 40,000 people give the simulator's cap of 300 documents).

1. Extraction of every document with :func:`read_declaration` (text, paragraphs, language),
   side by side with the bare read a user would otherwise write (pypdf ``extract_text`` /
   python-docx paragraph text, no paragraphs, no language), in the same run.
2. OCR: the first ``--ocr-declarations`` PDFs rendered to 300 dpi page images and put in one
   scanned PDF; read by :func:`read_declaration` (one single-threaded tesseract per core,
   pages in parallel) against tesseract run page after page with its own default threading.
   Word accuracy against the text layer, and each scanned declaration's paragraph numbers.

3. With ``--redact``: :func:`redact_pdf` on every document (the declarant's name and
   pseudonym from the exhibit index), each copy's text searched again for the name.

Prints Markdown tables and the 1-minute load average before and after (the machine is shared).

    .venv/bin/python benchmarks/declarations_extraction.py [--world DIR] [--ocr-declarations 6]
        [--redact]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import docx
import pypdf
import pypdfium2
from PIL import Image

from testimonio.declarations import Identity, read_declaration, redact_pdf, word_accuracy
from testimonio.simulation.config import default_config
from testimonio.simulation.world import generate_world

T = TypeVar("T")


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    """The result, wall-clock and CPU seconds (this process and its finished children)."""
    cpu = _cpu()
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start, _cpu() - cpu


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def bare_read(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)


def extraction(documents: list[Path]) -> None:
    print(
        "| format | documents | pages | read_declaration s (CPU s) | bare read s (CPU s) | load |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for kind in ("pdf", "docx"):
        chosen = [path for path in documents if path.suffix == f".{kind}"]
        data = [(path.read_bytes(), path.name) for path in chosen]
        before = load()
        found, *ours = timed(lambda data=data: [read_declaration(d, n) for d, n in data])
        _, *bare = timed(lambda chosen=chosen: [bare_read(path) for path in chosen])
        pages = sum(declaration.pages for declaration in found)
        assert all(declaration.numbered for declaration in found)
        print(f"| {kind} | {len(chosen)} | {pages} | {ours[0]:.1f} ({ours[1]:.1f}) | "
              f"{bare[0]:.1f} ({bare[1]:.1f}) | {before}-{load()} |")  # fmt: skip


def page_images(path: Path) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(path.read_bytes())
    return [page.render(scale=300 / 72, grayscale=True).to_pil() for page in document]


def scanned(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=300, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def tesseract_one_after_another(images: list[Image.Image]) -> None:
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=1)
        subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "spa+eng", "--psm", "6"],
            input=buffer.getvalue(), capture_output=True, check=True,
        )  # fmt: skip


def ocr(pdfs: list[Path]) -> None:
    per_document = [page_images(path) for path in pdfs]
    images = [image for pages in per_document for image in pages]
    truth = "\n".join(bare_read(path) for path in pdfs)
    before = load()
    found, *ours = timed(lambda: read_declaration(scanned(images), "scan.pdf"))
    _, *sequential = timed(lambda: tesseract_one_after_another(images))
    after = load()
    accuracy = word_accuracy(truth, found.text)
    numbers_found = numbers_total = 0
    for path, pages in zip(pdfs, per_document, strict=True):
        expected = [p.number for p in read_declaration(path.read_bytes(), path.name).paragraphs]
        read = [p.number for p in read_declaration(scanned(pages), "scan.pdf").paragraphs]
        numbers_total += len(expected)
        numbers_found += len(set(expected) & set(read)) if read == expected else 0
    print(f"\n{os.cpu_count()} cores; {len(images)} pages of {len(pdfs)} declarations at 300 dpi\n")
    print("| OCR | s | s / page | CPU s | load |")
    print("|---|---:|---:|---:|---:|")
    print(f"| read_declaration (pages in parallel, 1 thread each) | {ours[0]:.1f} | "
          f"{ours[0] / len(images):.2f} | {ours[1]:.1f} | {before}-{after} |")  # fmt: skip
    each = sequential[0] / len(images)
    print(f"| tesseract page after page (default threads) | {sequential[0]:.1f} | "
          f"{each:.2f} | {sequential[1]:.1f} | {before}-{after} |")  # fmt: skip
    print(f"\nword accuracy against the text layer: {accuracy:.4f}; paragraph numbers "
          f"recovered in full: {numbers_found} of {numbers_total}")  # fmt: skip


def redaction(world: Path) -> None:
    with (world / "declarations" / "exhibit_index.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["file"]]
    before = load()

    def redact_all() -> int:
        kept = 0
        for row in rows:
            identity = Identity(names=[row["declarant_name"]], pseudonym=row["pseudonym"])
            copy = redact_pdf((world / row["file"]).read_bytes(), row["file"], identity)
            text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(copy.pdf)).pages)
            kept += row["declarant_name"].casefold() in text.casefold()
        return kept

    kept, wall, cpu = timed(redact_all)
    print("\n| redacted copies | s | s / copy | CPU s | full names left | load |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(rows)} | {wall:.1f} | {wall / len(rows):.2f} | {cpu:.1f} | {kept} | "
          f"{before}-{load()} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, help="a folder written by testimonio simulate")
    parser.add_argument("--ocr-declarations", type=int, default=6)
    parser.add_argument("--redact", action="store_true", help="also time redacted copies")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        world = arguments.world
        if world is None:
            world = Path(scratch)
            generate_world(default_config(people=40000, seed=3), world)
        documents = sorted((world / "declarations" / "documents").iterdir())
        extraction(documents)
        if arguments.ocr_declarations > 0:
            ocr([path for path in documents if path.suffix == ".pdf"][: arguments.ocr_declarations])
        if arguments.redact:
            redaction(world)


if __name__ == "__main__":
    main()
