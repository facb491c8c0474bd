"""The encrypted archive: what goes in comes out hashed and checked, or not at all."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyrage
import pytest

from testimonio.config import read_backup_recipients
from testimonio.errors import ConfigurationError
from testimonio.web.backups import BackupError, Manifest
from testimonio.web.backups.sealed_archive import read_archive, write_archive

IDENTITY = pyrage.x25519.Identity.generate()
RECIPIENT = str(IDENTITY.to_public())


def _manifest() -> Manifest:
    return Manifest("2026-12-03T00:00:00+00:00", "0", "sqlite", "database/db", {"t": 1})


def _write(out: Path, files: dict[str, bytes], tamper: bool = False) -> None:
    with write_archive(out, [RECIPIENT], lambda count: None) as archive:
        for name, data in files.items():
            source = out.parent / f"source-{len(archive.members)}"
            source.write_bytes(data)
            archive.add_file(name, source)
        manifest = _manifest()
        manifest.members = list(archive.members)
        if tamper:
            manifest.members[0] = replace(manifest.members[0], sha256="0" * 64)
        archive.add_manifest(manifest)


def _read(path: Path, staging: Path) -> Manifest:
    staging.mkdir()
    return read_archive(path, [IDENTITY], staging, lambda count: None)


def test_members_come_back_byte_for_byte_with_their_manifest(tmp_path: Path) -> None:
    files = {"database/db": b"tables" * 1000, "documents/ab/abcdef": bytes(range(256)) * 9000}
    _write(tmp_path / "b.age", files)
    manifest = _read(tmp_path / "b.age", tmp_path / "out")
    assert [member.name for member in manifest.members] == list(files)
    for name, data in files.items():
        assert (tmp_path / "out" / name).read_bytes() == data
    assert b"tables" not in (tmp_path / "b.age").read_bytes()


def test_a_truncated_backup_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "b.age", {"database/db": b"x" * 200_000})
    data = (tmp_path / "b.age").read_bytes()
    (tmp_path / "b.age").write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match="damaged|Cannot decrypt"):
        _read(tmp_path / "b.age", tmp_path / "out")


def test_a_member_that_does_not_match_its_manifest_hash_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "b.age", {"database/db": b"x"}, tamper=True)
    with pytest.raises(BackupError, match="does not match its SHA-256"):
        _read(tmp_path / "b.age", tmp_path / "out")


def test_a_member_with_a_path_outside_the_instance_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "b.age", {"../../etc/cron.d/evil": b"x"})
    with pytest.raises(BackupError, match="unexpected member"):
        _read(tmp_path / "b.age", tmp_path / "out")
    assert not (tmp_path / "etc").exists()


def test_a_failed_backup_leaves_no_file_behind(tmp_path: Path) -> None:
    out = tmp_path / "b.age"
    with pytest.raises(FileNotFoundError), write_archive(out, [RECIPIENT], lambda c: None) as a:
        a.add_file("database/db", tmp_path / "missing")
    assert list(tmp_path.iterdir()) == []


def test_a_private_key_given_as_the_recipient_is_refused_without_echoing_it(
    tmp_path: Path,
) -> None:
    secret = str(IDENTITY)
    environ = {"TESTIMONIO_HOME": str(tmp_path), "TESTIMONIO_BACKUP_RECIPIENT": secret}
    with pytest.raises(ConfigurationError, match="never put the private key") as error:
        read_backup_recipients(environ)
    assert secret not in str(error.value)
    assert read_backup_recipients({**environ, "TESTIMONIO_BACKUP_RECIPIENT": RECIPIENT}) == [
        RECIPIENT
    ]
