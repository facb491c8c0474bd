"""A signed checkpoint reads back only unaltered and only under the key that signed it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from testimonio.crypto.checkpoints import (
    Checkpoint,
    case_file_line,
    generate_signing_key,
    parse_signing_key,
    public_key_text,
    read_checkpoint,
    sign_checkpoint,
)
from testimonio.errors import ConfigurationError, InputError

AT = datetime(2026, 12, 3, 13, 45, 12, 345678, tzinfo=UTC)


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, str]:
    key = parse_signing_key(generate_signing_key())
    path = tmp_path / "checkpoint.json"
    path.write_text(json.dumps(sign_checkpoint(Checkpoint(42, "ab" * 32, AT), key)))
    return path, public_key_text(key)


def test_a_checkpoint_reads_back_as_signed(signed: tuple[Path, str]) -> None:
    path, public_key = signed
    checkpoint = read_checkpoint(path, public_key)
    assert (checkpoint.events, checkpoint.head) == (42, "ab" * 32)
    assert checkpoint.at == AT.replace(microsecond=0)


def test_the_case_file_line_carries_what_was_signed(signed: tuple[Path, str]) -> None:
    path, public_key = signed
    line = case_file_line(json.loads(path.read_text()))
    assert line.startswith("Testimonio audit checkpoint 2026-12-03T13:45:12Z: 42 events")
    assert "ab" * 32 in line and public_key in line


@pytest.mark.parametrize(("field", "value"), [("events", 41), ("head", "cd" * 32)])
def test_an_altered_checkpoint_is_refused(
    signed: tuple[Path, str], field: str, value: object
) -> None:
    path, public_key = signed
    document = json.loads(path.read_text())
    document[field] = value
    path.write_text(json.dumps(document))
    with pytest.raises(InputError, match="was altered"):
        read_checkpoint(path, public_key)


def test_a_checkpoint_signed_by_another_key_is_refused(signed: tuple[Path, str]) -> None:
    path, _ = signed
    other = public_key_text(parse_signing_key(generate_signing_key()))
    with pytest.raises(InputError, match="not by this instance's signing key"):
        read_checkpoint(path, other)


def test_a_file_that_is_not_a_checkpoint_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("head: 1234")
    with pytest.raises(InputError, match=r"notes\.txt: not a testimonio-audit-checkpoint/1 file"):
        read_checkpoint(path, "ed25519:x")


def test_a_malformed_signing_key_names_the_setting() -> None:
    with pytest.raises(ConfigurationError, match="TESTIMONIO_AUDIT_SIGNING_KEY"):
        parse_signing_key("c2hvcnQ=")
