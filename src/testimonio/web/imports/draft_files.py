"""Seal and open an import draft's file, and read it back through the shared ingest pipeline.

What must always hold: the uploaded bytes and the file's name exist in the clear only in memory,
during one request. At rest they are sealed under the draft's own data key (chunked AES-GCM from
:mod:`testimonio.crypto.blob_store`, bound to the draft), kept in the database row, so deleting
the draft and its key leaves no file behind to clean up. The mapping profile is sealed the same
way: its value mappings and review notes come from cells, and a malformed file can put anything
(a name, a phone) into what the reader takes for one cell.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable

from testimonio.config import load_config
from testimonio.crypto import SealContext, decrypt_blob, encrypt_chunks, open_value, seal_value
from testimonio.ingest import (
    CheckedTable,
    MappingProfile,
    SourceFile,
    ValidatedRow,
    check_table,
    mapping_document,
    read_mapping_document,
    read_upload,
)
from testimonio.web.cases.vocabulary_bundle import bundle_of
from testimonio.web.imports.models import ImportDraft
from testimonio.web.keys.models import DataKey
from testimonio.web.keys.ring import create_data_key, data_key_for, key_ring

_MODEL = "cases.importdraft"


def seal_upload(draft: ImportDraft, data: bytes, name: str) -> None:
    """Seal the file and its name into ``draft`` under a new data key (in the caller's
    transaction: the key row is written). Seal the profile after it (:func:`seal_profile`)."""
    key = create_data_key(draft.uuid, key_ring().current)
    draft.sealed_file = b"".join(encrypt_chunks(data, key, _owner(draft.uuid)))
    draft.sealed_name = seal_value(name, _name_context(draft.uuid), key)
    draft.size_bytes = len(data)


def open_upload(draft: ImportDraft) -> tuple[bytes, str]:
    """The file's bytes and name, in memory (callers showing rows audit the reveal)."""
    key = data_key_for(draft.uuid, create=False)
    data = decrypt_blob(bytes(draft.sealed_file), key, _owner(draft.uuid))
    return data, open_value(bytes(draft.sealed_name), _name_context(draft.uuid), key)


def destroy_draft_key(draft: ImportDraft) -> None:
    """Forget the draft's data key: any copy of its sealed bytes (a backup) is unreadable."""
    DataKey.objects.filter(owner=draft.uuid).delete()


def read_draft(draft: ImportDraft) -> SourceFile:
    data, name = open_upload(draft)
    return read_upload(data, name, load_config().max_upload_mb)


def seal_profile(draft: ImportDraft, profile: MappingProfile) -> None:
    """Keep ``profile`` in the draft sealed under the draft's data key (made by
    :func:`seal_upload`); the JSON column holds only the sealed bytes."""
    key = data_key_for(draft.uuid, create=False)
    text = json.dumps(mapping_document(profile), ensure_ascii=False)
    sealed = seal_value(text, _profile_context(draft.uuid), key)
    draft.profile = {"sealed": base64.b64encode(sealed).decode("ascii")}


def draft_profile(draft: ImportDraft) -> MappingProfile:
    key = data_key_for(draft.uuid, create=False)
    sealed = base64.b64decode(draft.profile["sealed"])
    document = json.loads(open_value(sealed, _profile_context(draft.uuid), key))
    return read_mapping_document(document, "mapping profile")


def check_draft(
    draft: ImportDraft,
    source_file: SourceFile | None = None,
    *,
    keep_rows: bool = True,
    on_chunk: Callable[[list[ValidatedRow]], None] | None = None,
) -> CheckedTable:
    """Validate the draft's chosen sheet under its current profile (``keep_rows=False``:
    count the valid rows without holding them, see :func:`check_table`)."""
    return check_table(
        source_file or read_draft(draft),
        bundle_of(draft.project.vocabulary),
        source_name=draft.source_name,
        sheet=draft.sheet or None,
        profile=draft_profile(draft),
        keep_rows=keep_rows,
        on_chunk=on_chunk,
    )


def _owner(draft_uuid: uuid.UUID) -> str:
    return f"{_MODEL}|{draft_uuid}"


def _name_context(draft_uuid: uuid.UUID) -> SealContext:
    return SealContext(_MODEL, "file_name", str(draft_uuid))


def _profile_context(draft_uuid: uuid.UUID) -> SealContext:
    return SealContext(_MODEL, "profile", str(draft_uuid))
