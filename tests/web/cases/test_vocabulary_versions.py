"""Loading vocabularies: versions are added, never rewritten, and codes keep their meaning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from testimonio.errors import VocabularyError
from testimonio.vocab.bundle import bundled_path, read_bundle
from testimonio.web.cases.actions import do_load_vocabulary
from testimonio.web.cases.models import Language, Nationality, Port, Term, VocabularyVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "turnbacks"
    shutil.copytree(bundled_path(), folder)
    return folder


def test_it_loads_the_shipped_vocabulary_and_reference_tables() -> None:
    loaded = do_load_vocabulary(read_bundle(bundled_path()), None)
    assert loaded.created and loaded.version.number == 1
    assert Term.objects.filter(version=loaded.version, code="TAC.THREAT.FAMILY_SEP").exists()
    assert Port.objects.filter(code="2504-SYS").exists()
    assert Language.objects.filter(code="hat").exists()
    assert Nationality.objects.filter(code="HN").exists()


def test_loading_the_same_content_twice_adds_no_version() -> None:
    do_load_vocabulary(read_bundle(bundled_path()), None)
    again = do_load_vocabulary(read_bundle(bundled_path()), None)
    assert not again.created
    assert VocabularyVersion.objects.count() == 1


def test_a_new_code_becomes_the_next_version_and_old_terms_stay(bundle_copy: Path) -> None:
    first = do_load_vocabulary(read_bundle(bundle_copy), None).version
    with (bundle_copy / "vocabulary.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "TAC.NEW_TACTIC,TAC,A new tactic,Una táctica nueva,Something new.,Algo nuevo.,TEST\n"
        )
    second = do_load_vocabulary(read_bundle(bundle_copy), None).version
    assert second.number == first.number + 1
    assert Term.objects.filter(version=second, code="TAC.NEW_TACTIC").exists()
    assert not Term.objects.filter(version=first, code="TAC.NEW_TACTIC").exists()
    assert first.terms.count() == second.terms.count() - 1


def test_it_refuses_a_version_that_gives_a_used_code_a_new_meaning(bundle_copy: Path) -> None:
    do_load_vocabulary(read_bundle(bundle_copy), None)
    path = bundle_copy / "vocabulary.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("TAC.DENY,"))
    lines[number] = "TAC.DENY,TAC,Refusal,Negativa,Something entirely different.,Otra cosa.,TEST"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="TAC.DENY already means something else") as caught:
        do_load_vocabulary(read_bundle(bundle_copy), None)
    assert caught.value.row == number + 1 and caught.value.column == "definition"
    assert VocabularyVersion.objects.count() == 1


def test_a_reworded_spanish_definition_is_a_new_version_keeping_the_english_one(
    bundle_copy: Path,
) -> None:
    first = do_load_vocabulary(read_bundle(bundle_copy), None).version
    path = bundle_copy / "vocabulary.csv"
    text = path.read_text(encoding="utf-8")
    before = "Devuelto sin que se le diera motivo alguno."
    path.write_text(text.replace(before, "Devuelto sin motivo alguno."), encoding="utf-8")
    second = do_load_vocabulary(read_bundle(bundle_copy), None).version
    assert second.number == first.number + 1
    old, new = (v.terms.get(code="TAC.DENY.NO_REASON") for v in (first, second))
    assert (old.definition_es, new.definition_es) == (before, "Devuelto sin motivo alguno.")
    assert old.definition == new.definition == "Turned back with no reason given."
