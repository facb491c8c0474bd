"""Data keys unwrap only for their row, with whichever master key of the ring wrapped them."""

from __future__ import annotations

import pytest

from testimonio.crypto import Key, KeyRing, unwrap_data_key, wrap_data_key
from testimonio.crypto.envelope import WrappedKeyError, wrap_data_keys
from testimonio.errors import ConfigurationError

OLD, NEW = Key.generate(), Key.generate()


def test_a_data_key_unwraps_for_its_owner() -> None:
    data_key = Key.generate()
    wrapped = wrap_data_key(data_key, "row-1", OLD)
    assert data_key.material not in wrapped
    assert unwrap_data_key(wrapped, "row-1", KeyRing(OLD)) == data_key


def test_a_data_key_moved_to_another_row_does_not_unwrap() -> None:
    wrapped = wrap_data_key(Key.generate(), "row-1", OLD)
    with pytest.raises(WrappedKeyError, match="altered or moved"):
        unwrap_data_key(wrapped, "row-2", KeyRing(OLD))


def test_a_retired_master_key_still_unwraps_what_it_wrapped() -> None:
    data_key = Key.generate()
    wrapped = wrap_data_key(data_key, "row-1", OLD)
    assert unwrap_data_key(wrapped, "row-1", KeyRing(NEW).with_retired([OLD])) == data_key


def test_a_deleted_master_key_is_a_clear_configuration_error() -> None:
    wrapped = wrap_data_key(Key.generate(), "row-1", OLD)
    with pytest.raises(ConfigurationError, match=f"master key {OLD.key_id.hex()}"):
        unwrap_data_key(wrapped, "row-1", KeyRing(NEW))


def test_keys_wrapped_together_each_unwrap_for_their_own_owner_only() -> None:
    keys = [Key.generate() for _ in range(3)]
    wrapped = wrap_data_keys(keys, ["row-1", "row-2", "row-3"], OLD)
    ring = KeyRing(OLD)
    assert [unwrap_data_key(w, f"row-{n}", ring) for n, w in enumerate(wrapped, 1)] == keys
    assert len({w[10:22] for w in wrapped}) == 3  # a nonce per key
    with pytest.raises(WrappedKeyError, match="altered or moved"):
        unwrap_data_key(wrapped[0], "row-2", ring)
