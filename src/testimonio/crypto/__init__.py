"""Protection of identity data: envelope encryption, blind indexes, the audit hash chain.

What must always hold: no plaintext identity value leaves :mod:`testimonio.crypto.sealing`
except to the caller that asked to open it; a ciphertext opens only in the exact place
(model, field, row) it was sealed for; a data key unwraps only for the row it belongs to.
"""

from testimonio.crypto.blind_index import (
    index_key,
    normalise_folding_enye,
    phone_index,
    surname_year_index,
)
from testimonio.crypto.blob_store import BlobStore, decrypt_blob, encrypt_chunks
from testimonio.crypto.envelope import unwrap_data_key, wrap_data_key, wrap_data_keys
from testimonio.crypto.hash_chain import GENESIS_HASH, chain_hash
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
    "BlobStore",
    "GENESIS_HASH",
    "KEY_BYTES",
    "Key",
    "KeyRing",
    "MasterKey",
    "SealContext",
    "Sealer",
    "chain_hash",
    "decrypt_blob",
    "derive_master_key",
    "encode_key",
    "encrypt_chunks",
    "generate_master_key",
    "index_key",
    "normalise_folding_enye",
    "open_value",
    "parse_master_key",
    "phone_index",
    "seal_value",
    "surname_year_index",
    "unwrap_data_key",
    "wrap_data_key",
    "wrap_data_keys",
]
