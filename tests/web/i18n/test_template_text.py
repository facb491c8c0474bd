"""No template shows English that is not marked for translation.

A heuristic over each template's visible text: comments, translation tags (and what
``blocktranslate`` encloses), other template tags and variables, ``<code>`` samples, scripts and
markup are removed; any word left is text a Spanish reader would see in English. Visible
attributes (``title``, ``alt``, ``placeholder``, ``aria-label``) are checked the same way. Names
that are the same in both languages are allowed below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from testimonio.web import catalogues

WEB = Path(catalogues.__file__).resolve().parent
TEMPLATES = sorted(WEB.glob("**/templates/**/*.html"))
#: Words that need no translation: the product's name, file formats, and language names
#: written in their own language (a language switch shows each in its own).
ALLOWED = {"Testimonio", "CSV", "XLSX", "YAML", "SHA", "English", "Español"}

REMOVED_BLOCKS = [
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{%\s*blocktrans(late)?\b.*?\{%\s*endblocktrans(late)?\s*%\}", re.S),
    re.compile(r"<(script|style|code)\b.*?</\1>", re.S | re.I),
]
VISIBLE_ATTRIBUTE = re.compile(r"""\b(title|alt|placeholder|aria-label)\s*=\s*"([^"]*)\"""", re.I)
TAG_OR_VARIABLE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
MARKUP = re.compile(r"<[^>]*>|&[#\w]+;")
WORD = re.compile(r"[^\W\d_]{2,}")


def english_left(template: str) -> list[str]:
    """The words of ``template`` a reader would see that no translation tag covers."""
    for block in REMOVED_BLOCKS:
        template = block.sub(" ", template)
    attributes = " ".join(value for _, value in VISIBLE_ATTRIBUTE.findall(template))
    text = MARKUP.sub(" ", TAG_OR_VARIABLE.sub(" ", template))
    visible = f"{text} {TAG_OR_VARIABLE.sub(' ', attributes)}"
    return [word for word in WORD.findall(visible) if word not in ALLOWED]


def test_the_heuristic_finds_english_outside_the_tags() -> None:
    found = english_left('<p title="Open it">{% translate "Fine" %} Not fine</p>')
    assert found == ["Not", "fine", "Open", "it"]
    assert not english_left(
        "{% load i18n %}<h1>{% blocktranslate with n=x %}All {{ n }} fine{% endblocktranslate %}"
        "</h1><p><code>testimonio members</code> {{ user.name }} Testimonio</p>"
    )


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) >= 30


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(WEB)))
def test_a_template_has_no_english_outside_translation_tags(path: Path) -> None:
    words = english_left(path.read_text(encoding="utf-8"))
    assert not words, f"{path.relative_to(WEB)}: untranslated text {' '.join(words)!r}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(WEB)))
def test_a_template_with_translation_tags_loads_i18n(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if re.search(r"\{%\s*(translate|trans|blocktranslate|blocktrans)\b", text):
        assert re.search(r"\{%\s*load\b[^%]*\bi18n\b", text), f"{path}: no {{% load i18n %}}"
