"""Identifiers of snapshot rows: a prefix and a zero-padded number (``E-00000012``).

One helper because numpy's ``char.zfill`` fails on an empty array, and a project may well have
persons but no encounter yet: an empty table must give empty ids, not a crash.
"""

from __future__ import annotations

import numpy as np


def padded_ids(prefix: str, numbers: np.ndarray, width: int = 8) -> np.ndarray:
    """``prefix`` followed by each number, zero-padded to ``width`` digits (object array)."""
    numbers = np.asarray(numbers)
    if numbers.size == 0:
        return np.empty(0, dtype=object)
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width)).astype(object)
