"""Testimonio: from scattered testimonies to court-ready, statistically sound evidence.

The core packages (``ingest``, ``crypto``, ``linkage``, ``estimation``, ``analysis``,
``simulation``, ``reporting``, ``vocab``) are plain Python and never import Django;
``web`` is the Django adapter and ``cli`` the ``testimonio`` command.
"""

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``testimonio.load_snapshot`` without importing DuckDB and pandas with the package."""
    if name == "load_snapshot":
        from testimonio.analysis.snapshot import load_snapshot

        return load_snapshot
    raise AttributeError(f"module 'testimonio' has no attribute {name!r}")
