import pytest

from testimonio.crypto.hash_chain import (
    GENESIS_HASH,
    AuditKey,
    chain_hash,
    generate_audit_key,
    parse_audit_key,
)
from testimonio.errors import ConfigurationError


def test_the_hash_depends_on_the_previous_hash_and_the_payload() -> None:
    first = chain_hash(GENESIS_HASH, {"a": 1})
    assert chain_hash(GENESIS_HASH, {"a": 1}) == first
    assert chain_hash(first, {"a": 1}) != first
    assert chain_hash(GENESIS_HASH, {"a": 2}) != first


def test_key_order_does_not_change_the_hash() -> None:
    assert chain_hash(GENESIS_HASH, {"a": 1, "b": 2}) == chain_hash(GENESIS_HASH, {"b": 2, "a": 1})


def test_a_keyed_hash_depends_on_the_key_and_is_not_the_plain_one() -> None:
    key, other = AuditKey(b"\x01" * 32), AuditKey(b"\x02" * 32)
    keyed = key.chain_hash(GENESIS_HASH, {"a": 1})
    assert keyed == key.chain_hash(GENESIS_HASH, {"a": 1})  # the copied state is not consumed
    assert keyed != other.chain_hash(GENESIS_HASH, {"a": 1})
    assert keyed != chain_hash(GENESIS_HASH, {"a": 1})
    assert key.chain_hash(keyed, {"a": 1}) != keyed


def test_the_head_seal_covers_every_field_of_the_head() -> None:
    key = AuditKey(b"\x01" * 32)
    seal = key.seal_head(5, "a" * 64, 1)
    assert seal != key.seal_head(4, "a" * 64, 1)
    assert seal != key.seal_head(5, "b" * 64, 1)
    assert seal != key.seal_head(5, "a" * 64, 2)
    assert seal != AuditKey(b"\x02" * 32).seal_head(5, "a" * 64, 1)


def test_an_audit_key_round_trips_and_a_malformed_one_names_the_setting() -> None:
    encoded = generate_audit_key()
    assert parse_audit_key(encoded).key_id == parse_audit_key(encoded + "\n").key_id
    for bad in ("not base64!", "c2hvcnQ="):
        with pytest.raises(ConfigurationError, match="TESTIMONIO_AUDIT_KEY"):
            parse_audit_key(bad)
