"""Declarations in the web app: read documents into sealed paragraphs, link, number, code."""
