"""Reporting: what the team files in court and publishes (plain Python, no Django).

:mod:`.suppression` decides which cells of the published tables must be hidden.
"""
