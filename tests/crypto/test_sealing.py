"""A sealed value opens only with its key, in the place it was sealed for, untampered."""

from __future__ import annotations

import pytest

from testimonio.crypto import (
    SealContext,
    generate_master_key,
    open_value,
    parse_master_key,
    seal_value,
)
from testimonio.crypto.sealing import SealedValueError, Sealer
from testimonio.errors import ConfigurationError

KEY = parse_master_key(generate_master_key())
HERE = SealContext("cases.recordidentity", "surnames", "row-1")


def test_a_value_opens_where_it_was_sealed() -> None:
    sealed = seal_value("Pérez de la Cruz", HERE, KEY)
    assert b"P\xc3\xa9rez" not in sealed
    assert open_value(sealed, HERE, KEY) == "Pérez de la Cruz"


def test_sealing_twice_gives_different_bytes() -> None:
    assert seal_value("Ana", HERE, KEY) != seal_value("Ana", HERE, KEY)


@pytest.mark.parametrize(
    "elsewhere",
    [
        SealContext("cases.recordidentity", "surnames", "row-2"),
        SealContext("cases.recordidentity", "given_names", "row-1"),
        SealContext("cases.encounternarrative", "surnames", "row-1"),
    ],
)
def test_a_value_moved_to_another_row_or_field_does_not_open(elsewhere: SealContext) -> None:
    with pytest.raises(SealedValueError, match="altered or moved"):
        open_value(seal_value("Ana", HERE, KEY), elsewhere, KEY)


def test_a_flipped_byte_does_not_open() -> None:
    sealed = bytearray(seal_value("Ana", HERE, KEY))
    sealed[-1] ^= 0x01
    with pytest.raises(SealedValueError):
        open_value(bytes(sealed), HERE, KEY)


def test_another_key_is_named_in_the_error_without_the_value() -> None:
    other = parse_master_key(generate_master_key())
    with pytest.raises(SealedValueError, match="sealed with key") as caught:
        open_value(seal_value("Ana", HERE, KEY), HERE, other)
    assert "Ana" not in str(caught.value)


def test_a_malformed_master_key_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="not valid base64"):
        parse_master_key("not base64!")
    with pytest.raises(ConfigurationError, match="32 bytes"):
        parse_master_key("c2hvcnQ=")


def test_a_passphrase_stretches_to_the_same_key_with_the_same_salt_only() -> None:
    from testimonio.crypto import derive_master_key

    phrase = "correct horse battery staple"
    key = derive_master_key(phrase, b"0" * 16)
    assert key == derive_master_key(phrase, b"0" * 16)
    assert key != derive_master_key(phrase, b"1" * 16)
    assert key != derive_master_key(phrase + "!", b"0" * 16)


def test_a_short_passphrase_is_refused() -> None:
    from testimonio.crypto import derive_master_key

    with pytest.raises(ConfigurationError, match="at least 16 characters"):
        derive_master_key("hunter2", b"0" * 16)


def test_values_sealed_together_each_open_in_their_own_place_with_their_own_nonce() -> None:
    names = ["given_names", "surnames", "full_name"]
    sealed = Sealer(KEY).seal_fields(
        "cases.recordidentity", "row-1", list(zip(names, ["Ana", "Pérez", "Ana"], strict=True))
    )
    places = [SealContext("cases.recordidentity", name, "row-1") for name in names]
    assert [open_value(value, place, KEY) for value, place in zip(sealed, places, strict=True)] == [
        "Ana",
        "Pérez",
        "Ana",
    ]
    assert len({value[10:22] for value in sealed}) == 3  # no nonce is used twice
    with pytest.raises(SealedValueError):
        open_value(sealed[0], places[1], KEY)
    with pytest.raises(SealedValueError):
        open_value(sealed[0], SealContext("cases.recordidentity", "given_names", "row-2"), KEY)
