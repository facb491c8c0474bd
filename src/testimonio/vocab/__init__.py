"""Shipped vocabularies and reference data (ports, languages, nationalities) as data files."""
