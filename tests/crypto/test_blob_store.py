"""Stored documents open only whole, in order, with their own key."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.crypto import Key
from testimonio.crypto.blob_store import CHUNK, BlobIntegrityError, BlobStore

KEY = Key.generate()
DATA = b"Declaraci\xc3\xb3n de Canarito. " * (CHUNK // 10)  # a little over two chunks


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path)


def test_a_multi_chunk_document_round_trips_and_is_not_stored_in_the_clear(
    store: BlobStore,
) -> None:
    path = store.put(DATA, "ab" * 32, KEY, "doc-1")
    assert b"Canarito" not in path.read_bytes()
    assert store.get("ab" * 32, KEY, "doc-1") == DATA


def test_an_empty_document_round_trips(store: BlobStore) -> None:
    store.put(b"", "cd" * 32, KEY, "doc-1")
    assert store.get("cd" * 32, KEY, "doc-1") == b""


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-1],  # truncated
        lambda blob: blob[: len(blob) - (len(blob) - 18) % (CHUNK + 16)],  # last chunk dropped
        lambda blob: blob[:100] + bytes([blob[100] ^ 1]) + blob[101:],  # one flipped bit
        lambda blob: blob + blob[18:100],  # extended
    ],
)
def test_a_damaged_document_fails_its_integrity_check(store: BlobStore, damage) -> None:  # type: ignore[no-untyped-def]
    path = store.put(DATA, "ef" * 32, KEY, "doc-1")
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(BlobIntegrityError):
        store.get("ef" * 32, KEY, "doc-1")


def test_a_document_does_not_open_as_another_document(store: BlobStore) -> None:
    store.put(DATA, "01" * 32, KEY, "doc-1")
    with pytest.raises(BlobIntegrityError):
        store.get("01" * 32, KEY, "doc-2")
