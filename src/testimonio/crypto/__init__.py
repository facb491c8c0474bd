"""Protection of identity data: envelope encryption, blind indexes, the audit hash chain.

What must always hold: no plaintext identity value leaves :mod:`testimonio.crypto.sealing`
except to the caller that asked to open it; a ciphertext opens only in the exact place
(model, field, row) it was sealed for; a data key unwraps only for the row it belongs to.
"""

from testimonio.crypto.blind_index import phone_index, surname_year_index
from testimonio.crypto.envelope import unwrap_data_key, wrap_data_key
from testimonio.crypto.hash_chain import GENESIS_HASH, chain_hash
from testimonio.crypto.keyring import KeyRing
from testimonio.crypto.keys import (
    Key,
    MasterKey,
    derive_master_key,
    encode_key,
    generate_master_key,
    parse_master_key,
)
from testimonio.crypto.sealing import SealContext, open_value, seal_value

__all__ = [
    "GENESIS_HASH",
    "Key",
    "KeyRing",
    "MasterKey",
    "SealContext",
    "chain_hash",
    "derive_master_key",
    "encode_key",
    "generate_master_key",
    "open_value",
    "parse_master_key",
    "phone_index",
    "seal_value",
    "surname_year_index",
    "unwrap_data_key",
    "wrap_data_key",
]
