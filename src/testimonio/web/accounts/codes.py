"""One-time codes people type: enrolment invitations and recovery codes.

Codes are random (from :mod:`secrets`), shown once, and stored only as an HMAC under the
instance's secret key (``salted_hmac``), which lives outside the database: a copy of the
database alone gives no usable code, and a code cannot be guessed from its hash.
"""

from __future__ import annotations

import base64
import secrets

from django.utils.crypto import salted_hmac

#: What each kind of code is hashed for (a code of one kind never matches the other).
INVITATION_PURPOSE = "testimonio.accounts.invitation"
RECOVERY_PURPOSE = "testimonio.accounts.recovery"
#: django-otp's StaticToken holds up to 16 characters: 64 bits of the HMAC.
RECOVERY_HASH_LENGTH = 16
RECOVERY_CODE_COUNT = 10
#: Characters of a recovery code (without its dash): longer than any TOTP code.
RECOVERY_CODE_LENGTH = 10


def new_code(random_bytes: int) -> str:
    """A random code in groups of five lower-case base-32 characters (easy to read out)."""
    text = base64.b32encode(secrets.token_bytes(random_bytes)).decode("ascii").rstrip("=")
    text = text.lower()
    return "-".join(text[start : start + 5] for start in range(0, len(text), 5))


def normalised(code: str) -> str:
    """The code as typed, without spaces, dashes or case (people copy codes loosely)."""
    return "".join(code.split()).replace("-", "").lower()


def code_hash(code: str, purpose: str) -> str:
    """The keyed hash stored in place of ``code``."""
    return salted_hmac(purpose, normalised(code), algorithm="sha256").hexdigest()


def new_invitation_code() -> str:
    """An enrolment code of 100 random bits (20 characters)."""
    return new_code(random_bytes=13)[:23]


def new_recovery_code() -> str:
    """A recovery code of 50 random bits (10 characters): used at most once, then gone."""
    return new_code(random_bytes=7)[: RECOVERY_CODE_LENGTH + 1]


def recovery_hash(code: str) -> str:
    """The stored form of a recovery code (fits django-otp's StaticToken)."""
    return code_hash(code, RECOVERY_PURPOSE)[:RECOVERY_HASH_LENGTH]
