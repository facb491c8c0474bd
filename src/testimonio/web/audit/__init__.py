"""Audit: the append-only, hash-chained log of every change and every reveal of identity data."""
