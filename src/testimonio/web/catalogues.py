"""The web app's translation catalogues: compile each ``.po`` into the ``.mo`` Django reads.

Django's ``compilemessages`` calls gettext's ``msgfmt``, a system program a fresh machine may
lack; ``make demo`` must work without root. polib writes the same GNU ``.mo`` format from pure
Python, so the build (``python -m testimonio.web.catalogues``) and the tests compile alike.
Extracting strings (``make messages``) still needs gettext's ``xgettext``: that is a
developer's step, not the build's (docs/translation.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalogue_paths(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every ``django.po`` under ``locale_dir`` (one per language), sorted."""
    return sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))


def compile_catalogue(po_path: Path) -> Path:
    """Write the ``.mo`` beside ``po_path``; fuzzy entries are left out, as msgfmt does."""
    catalogue = polib.pofile(str(po_path))
    for entry in catalogue.fuzzy_entries():
        catalogue.remove(entry)
    mo_path = po_path.with_suffix(".mo")
    catalogue.save_as_mofile(str(mo_path))
    return mo_path


def main() -> int:
    for po_path in catalogue_paths():
        compiled = compile_catalogue(po_path)
        sys.stdout.write(f"compiled {compiled.relative_to(LOCALE_DIR.parent)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
