"""Which paragraphs a project double-codes: a share chosen by the project, drawn reproducibly.

Blind double coding measures agreement on a sample, not on everything (two readings of every
paragraph doubles the coders' work). The draw must be one a court can check and one that does
not move: a paragraph's place in the sample is a pure function of the project's salt and the
paragraph's id, so the same paragraph is in or out whoever asks and whenever, and a project
that raises its share only adds paragraphs to the sample (a paragraph is in when its uniform
number is below the share, and the number does not change). No identity is involved: ids only.
"""

from __future__ import annotations

import hashlib

__all__ = ["in_double_sample", "sample_draw"]

_SCALE = float(1 << 64)


def sample_draw(salt: str, unit: str) -> float:
    """A number in [0, 1) fixed by ``salt`` and ``unit`` (SHA-256: uniform enough, and anyone
    can recompute it)."""
    digest = hashlib.sha256(f"{salt}\x1f{unit}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / _SCALE


def in_double_sample(salt: str, unit: str, share: float) -> bool:
    """Whether ``unit`` is among the ``share`` (0 to 1) of units drawn for double coding."""
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"a double-coding share must be between 0 and 1, not {share}")
    return sample_draw(salt, unit) < share
