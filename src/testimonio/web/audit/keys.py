"""The audit key and the checkpoint signing key, read from outside the database.

The audit key (TESTIMONIO_AUDIT_KEY(_FILE)) is its own secret, not derived from the master key:
rotating the master key must not re-key history, and whoever checks the log need not hold the
key that opens every identity. The signing key is needed only by ``testimonio audit
checkpoint`` and ``verify --checkpoint``, so the web server need not be able to read it.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from testimonio.config import load_config, read_secret
from testimonio.crypto import AuditKey, parse_audit_key, parse_signing_key
from testimonio.errors import ConfigurationError


def audit_key_is_configured() -> bool:
    """Whether an audit key is set at all (an instance from before audit keys has none)."""
    return read_secret("TESTIMONIO_AUDIT_KEY", load_config().audit_key_file) is not None


@lru_cache(maxsize=1)
def audit_key() -> AuditKey:
    """The configured audit key (cached: every append uses it)."""
    encoded = read_secret("TESTIMONIO_AUDIT_KEY", load_config().audit_key_file)
    if encoded is None:
        raise ConfigurationError(
            "No audit key: the audit log cannot be written or verified. If the chain is "
            "already keyed, restore the key file from its backup (see docs/security.md, "
            '"Lost or missing keys"); `testimonio init` creates one only for a chain not yet '
            "keyed. Or set TESTIMONIO_AUDIT_KEY_FILE."
        )
    return parse_audit_key(encoded)


def signing_key() -> Ed25519PrivateKey:
    """The key that signs checkpoints."""
    encoded = read_secret("TESTIMONIO_AUDIT_SIGNING_KEY", load_config().audit_signing_key_file)
    if encoded is None:
        raise ConfigurationError(
            "No audit signing key: checkpoints cannot be signed or checked. Run "
            "`testimonio init` or set TESTIMONIO_AUDIT_SIGNING_KEY_FILE."
        )
    return parse_signing_key(encoded)


def forget_audit_key() -> None:
    """Read the audit key again at next use (tests that change it)."""
    audit_key.cache_clear()
