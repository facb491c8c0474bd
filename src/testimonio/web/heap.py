"""Keep a server process's garbage collections short: freeze the heap it starts with.

Why: the web app imports Django, pandas, numpy, DuckDB and the rest once, leaving about
300,000 container objects that live as long as the process. A full collection walks all of
them while holding the GIL, so every thread of the server waits: measured at 0.6-1 s on the
shared two-core machine, run after every import page (:mod:`testimonio.web.imports.memory`
collects to give an import's memory back) and by Python itself whenever enough objects have
survived. Under 20 intake users that queueing, not the pages' own work (25-60 ms each), made
p95 3-10 s (docs/benchmarks/durability.md, "Load").

:func:`gc.freeze` moves what exists at start-up into a generation the collector never walks;
collections then look only at what requests created since. Nothing of a request is frozen (no
request has run yet), so a request's cycles are still collected and its memory given back.
"""

from __future__ import annotations

import gc

__all__ = ["freeze_startup_heap"]


def freeze_startup_heap() -> int:
    """Import every view (the URL configuration), collect once, then freeze what is left;
    returns how many objects were frozen. Call once, before serving the first request."""
    from django.urls import get_resolver

    # Resolving loads the URL configuration and with it every view module and what it
    # imports; otherwise those would arrive with the first requests, after the freeze.
    get_resolver().url_patterns  # noqa: B018 - the property's side effect is the point
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
