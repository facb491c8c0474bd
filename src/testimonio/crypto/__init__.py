"""Protection of identity data: authenticated encryption of single values and the audit hash chain.

What must always hold: no plaintext identity value leaves :mod:`testimonio.crypto.sealing`
except to the caller that asked to open it, and a ciphertext opens only in the exact place
(model, field, row) it was sealed for.
"""

from testimonio.crypto.hash_chain import GENESIS_HASH, chain_hash
from testimonio.crypto.keys import MasterKey, generate_master_key, parse_master_key
from testimonio.crypto.sealing import SealContext, open_value, seal_value

__all__ = [
    "GENESIS_HASH",
    "MasterKey",
    "SealContext",
    "chain_hash",
    "generate_master_key",
    "open_value",
    "parse_master_key",
    "seal_value",
]
