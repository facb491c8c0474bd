"""Snapshot row ids: prefix and zero-padded number, and empty tables give empty ids."""

from __future__ import annotations

import numpy as np

from testimonio.analysis import padded_ids


def test_ids_are_prefixed_and_zero_padded() -> None:
    assert padded_ids("E-", np.array([0, 12]), 4).tolist() == ["E-0000", "E-0012"]


def test_no_rows_give_no_ids_rather_than_numpys_error() -> None:
    """A project with persons but no encounter yet once crashed the dashboard here."""
    ids = padded_ids("V-", np.array([], dtype=np.int64))
    assert ids.shape == (0,)
    assert ids.dtype == object
