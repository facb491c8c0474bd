"""Reading the PDFs the reports make, with poppler's pdftotext and pdftoppm."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def page_image(pdf: Path, page: int, folder: Path) -> np.ndarray:
    """Page ``page`` (1-based) rendered at 60 dpi by pdftoppm, as grey levels 0-255."""
    stem = folder / f"page-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-gray", "-png", "-singlefile", "-f", str(page), "-l",
         str(page), str(pdf), str(stem)],
        check=True,
    )  # fmt: skip
    return np.asarray(Image.open(f"{stem}.png").convert("L"))
