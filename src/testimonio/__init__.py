"""Testimonio: from scattered testimonies to court-ready, statistically sound evidence.

The core packages (``ingest``, ``crypto``, ``linkage``, ``estimation``, ``analysis``,
``simulation``, ``reporting``, ``vocab``) are plain Python and never import Django;
``web`` is the Django adapter and ``cli`` the ``testimonio`` command.
"""

__version__ = "0.1.0"
