"""The instance's document store and each document's data key."""

from __future__ import annotations

from testimonio.config import load_config
from testimonio.crypto import BlobStore, Key
from testimonio.web.evidence.models import Document
from testimonio.web.keys.ring import current_index_key, data_key_for


def document_store() -> BlobStore:
    return BlobStore(load_config().documents_dir)


def storage_name(project_id: int, sha256: str) -> str:
    """Content address within a project, keyed so it does not reveal which file it is."""
    return document_store().storage_name(f"{project_id}|{sha256}", current_index_key())


def document_key(document: Document, *, create: bool = False) -> Key:
    return data_key_for(document.uuid, create=create)


def read_document(document: Document) -> bytes:
    """The original bytes (decrypted in memory; callers audit the access)."""
    return document_store().get(document.storage_name, document_key(document), str(document.uuid))
