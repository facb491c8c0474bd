"""Analyses: linkage runs and review decisions, estimation runs, kept so they can be repeated."""
