"""Rotating the master key re-seals everything; the old key can then be deleted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testimonio.crypto import generate_master_key
from testimonio.errors import ConfigurationError
from testimonio.web.cases.actions import do_create_record, do_record_encounter
from testimonio.web.cases.models import EncounterNarrative, Person, RecordIdentity, Source
from testimonio.web.keys.identity import IdentityFields, open_identity, open_narrative
from testimonio.web.keys.models import DataKey
from testimonio.web.keys.ring import forget_keys, key_ring
from testimonio.web.keys.rotation import do_rotate_master_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "keys" / "master.key"
    path.parent.mkdir()
    path.write_text(generate_master_key() + "\n", encoding="ascii")
    monkeypatch.delenv("TESTIMONIO_MASTER_KEY")
    monkeypatch.setenv("TESTIMONIO_MASTER_KEY_FILE", str(path))
    forget_keys()
    yield path
    forget_keys()


def test_rotation_then_deleting_the_old_key_leaves_everything_readable(
    key_file: Path, source: Source, person: Person
) -> None:
    identity = IdentityFields("Canarito", "Zzyzx", "1991-07", "+52 664 555 0199")
    record = do_create_record(source, None, person=person, identity=identity)
    encounter = do_record_encounter(person, None, date="2018", narrative="Me dijeron que no.")
    index_before = RecordIdentity.objects.get(record=record).surname_year_index
    old_id = key_ring().current.key_id.hex()

    rotation = do_rotate_master_key(None)
    rotation.retired_file.unlink()
    forget_keys()

    assert rotation.old_key_id == old_id and rotation.new_key_id != old_id
    assert (rotation.identities, rotation.narratives) == (1, 1)
    assert key_ring().retired == ()
    assert open_identity(record) == identity
    assert open_narrative(EncounterNarrative.objects.get(encounter=encounter)) == (
        "Me dijeron que no."
    )
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {rotation.new_key_id}
    assert RecordIdentity.objects.get(record=record).surname_year_index not in ("", index_before)


def test_a_rotation_that_crashed_before_swapping_files_is_still_readable(
    key_file: Path, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimonio.web.keys import rotation as rotation_module

    record = do_create_record(source, None, identity=IdentityFields("Canarito", "Zzyzx"))

    def crash(*args: object) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(rotation_module, "_swap_key_files", crash)
    with pytest.raises(KeyboardInterrupt):
        do_rotate_master_key(None)
    forget_keys()
    assert open_identity(record).given_names == "Canarito"  # new key found in master.key.new


def test_rotation_refuses_a_master_key_given_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TESTIMONIO_MASTER_KEY", generate_master_key())
    forget_keys()
    with pytest.raises(ConfigurationError, match="rotation needs it in a file"):
        do_rotate_master_key(None)
    forget_keys()


def test_a_master_passphrase_seals_and_opens_identity(
    source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TESTIMONIO_MASTER_KEY")
    monkeypatch.setenv("TESTIMONIO_MASTER_PASSPHRASE", "tres tristes tigres comen trigo")
    forget_keys()
    try:
        record = do_create_record(source, None, identity=IdentityFields("Canarito", "Zzyzx"))
        forget_keys()
        assert open_identity(record).given_names == "Canarito"
        monkeypatch.setenv("TESTIMONIO_MASTER_PASSPHRASE", "another long passphrase here")
        forget_keys()
        with pytest.raises(ConfigurationError, match="not configured"):
            open_identity(record)
    finally:
        monkeypatch.undo()
        forget_keys()
