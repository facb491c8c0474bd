"""Kept importable for one step: dates are read in :mod:`testimonio.partial_dates`.

The web's import form still imports ``DATE_ORDERS`` from here; once it imports
``testimonio.ingest.DATE_ORDERS`` (the package-level name) this module goes.
"""

from __future__ import annotations

from testimonio.partial_dates import DATE_ORDERS, guess_date_order, parse_source_date

__all__ = ["DATE_ORDERS", "guess_date_order", "parse_source_date"]
