"""Every string the web app marks for translation has a Spanish translation, compiled.

The strings are extracted afresh from the current source (Django's ``makemessages``, run on a
copy of the web app in a temporary folder, so the committed catalogue is never touched) and
compared with the committed ``es`` catalogue. A string added to a template or a form without
``make messages`` and a translation fails here, listed by its msgid: this is the list a
translator works from (docs/translation.md).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

from testimonio.web import catalogues

WEB = Path(catalogues.__file__).resolve().parent
COMMITTED_PO = catalogues.LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po"
COMMITTED_MO = COMMITTED_PO.with_suffix(".mo")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    """The catalogue ``makemessages`` writes from the source as it is now."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install gettext (make system-packages)")
    copy = tmp_path_factory.mktemp("extract") / "web"
    shutil.copytree(
        WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "formats")
    )
    (copy / "locale").mkdir()
    here = Path.cwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
            call_command("makemessages", locale=["es"], verbosity=0, no_location=True)
    finally:
        os.chdir(here)
    return polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def test_every_marked_string_has_a_spanish_translation(extracted: polib.POFile) -> None:
    committed = {_key(entry): entry for entry in polib.pofile(str(COMMITTED_PO))}
    untranslated = [
        entry.msgid
        for entry in extracted
        if _key(entry) not in committed or not _translated(committed[_key(entry)])
    ]
    assert not untranslated, (
        f"{len(untranslated)} string(s) have no Spanish translation; run `make messages`, "
        "translate them in src/testimonio/web/locale/es/LC_MESSAGES/django.po, and run "
        "`make messages` again:\n" + "\n".join(f"  {msgid!r}" for msgid in untranslated)
    )


def test_no_spanish_translation_is_fuzzy_or_obsolete() -> None:
    catalogue = polib.pofile(str(COMMITTED_PO))
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not fuzzy, "fuzzy (unchecked) translations: " + "; ".join(map(repr, fuzzy))
    assert not catalogue.metadata_is_fuzzy
    assert not catalogue.obsolete_entries()


def test_placeholders_are_kept_in_every_translation() -> None:
    """A translation that drops or renames %(name)s would raise, or lose a number, at render."""
    placeholder = re.compile(r"%\((\w+)\)s")
    wrong = []
    for entry in polib.pofile(str(COMMITTED_PO)):
        wanted = set(placeholder.findall(entry.msgid_plural or entry.msgid))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        # A singular form may say "one" in words instead of the number (Spanish: "Primera fila").
        if any(set(placeholder.findall(form)) - wanted for form in forms) or (
            set(placeholder.findall(forms[-1])) != wanted
        ):
            wrong.append(entry.msgid)
    assert not wrong, "placeholders differ from the English: " + "; ".join(map(repr, wrong))


def test_the_committed_mo_is_the_compiled_po(tmp_path: Path) -> None:
    """The build compiles the catalogue; the committed .mo must say the same (not be stale)."""
    copy = tmp_path / "django.po"
    shutil.copy(COMMITTED_PO, copy)
    fresh = polib.mofile(str(catalogues.compile_catalogue(copy)))
    committed = polib.mofile(str(COMMITTED_MO))

    def table(mo: polib.MOFile) -> dict[tuple[str, str, str], object]:
        return {_key(e): (e.msgstr, sorted(e.msgstr_plural.items())) for e in mo}

    assert table(committed) == table(fresh), "stale .mo: run `make messages`"
    assert len(table(fresh)) > 300
