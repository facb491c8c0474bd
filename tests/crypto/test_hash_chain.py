from testimonio.crypto import GENESIS_HASH, chain_hash


def test_the_hash_depends_on_the_previous_hash_and_the_payload() -> None:
    first = chain_hash(GENESIS_HASH, {"a": 1})
    assert chain_hash(GENESIS_HASH, {"a": 1}) == first
    assert chain_hash(first, {"a": 1}) != first
    assert chain_hash(GENESIS_HASH, {"a": 2}) != first


def test_key_order_does_not_change_the_hash() -> None:
    assert chain_hash(GENESIS_HASH, {"a": 1, "b": 2}) == chain_hash(GENESIS_HASH, {"b": 2, "a": 1})
