"""Protection of identity data: envelope encryption, blind indexes, the audit hash chain.

What must always hold: no plaintext identity value leaves :mod:`testimonio.crypto.sealing`
except to the caller that asked to open it; a ciphertext opens only in the exact place
(model, field, row) it was sealed for; a data key unwraps only for the row it belongs to.
"""

from testimonio.crypto.blind_index import (
    birth_date_index,
    given_surname_index,
    index_key,
    normalise_folding_enye,
    phone_index,
    row_identity_key,
    surname_sound_year_index,
    surname_year_index,
)
from testimonio.crypto.blob_store import BlobStore, decrypt_blob, encrypt_chunks
from testimonio.crypto.checkpoints import (
    Checkpoint,
    case_file_line,
    generate_signing_key,
    parse_signing_key,
    public_key_text,
    read_checkpoint,
    sign_checkpoint,
)
from testimonio.crypto.envelope import unwrap_data_key, wrap_data_key, wrap_data_keys
from testimonio.crypto.hash_chain import (
    GENESIS_HASH,
    AuditKey,
    chain_hash,
    generate_audit_key,
    parse_audit_key,
)
from testimonio.crypto.keyring import KeyRing
from testimonio.crypto.keys import (
    KEY_BYTES,
    Key,
    MasterKey,
    derive_master_key,
    encode_key,
    generate_master_key,
    parse_master_key,
)
from testimonio.crypto.sealing import SealContext, Sealer, open_value, seal_value

__all__ = [
    "AuditKey",
    "BlobStore",
    "Checkpoint",
    "GENESIS_HASH",
    "KEY_BYTES",
    "Key",
    "KeyRing",
    "MasterKey",
    "SealContext",
    "Sealer",
    "birth_date_index",
    "case_file_line",
    "chain_hash",
    "decrypt_blob",
    "derive_master_key",
    "encode_key",
    "encrypt_chunks",
    "generate_audit_key",
    "generate_master_key",
    "generate_signing_key",
    "given_surname_index",
    "index_key",
    "normalise_folding_enye",
    "open_value",
    "parse_audit_key",
    "parse_master_key",
    "parse_signing_key",
    "phone_index",
    "public_key_text",
    "read_checkpoint",
    "row_identity_key",
    "seal_value",
    "sign_checkpoint",
    "surname_sound_year_index",
    "surname_year_index",
    "unwrap_data_key",
    "wrap_data_key",
    "wrap_data_keys",
]
