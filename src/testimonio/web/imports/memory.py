"""Give the memory of a large import back to the operating system when a request ends.

Why: a server process lives on after the import it ran. The rows, validated chunks and
sealed values it freed stay in the C allocator's arenas (glibc keeps freed heap for reuse),
so before this a server that had imported a 100,000-row workbook stayed at several times its
size until restarted (measured in ``benchmarks/import_memory.py``). After each request of the
import pages that reads a whole file, :func:`give_back_memory` collects what Python can free
and asks glibc to return its free pages (``malloc_trim``); elsewhere it only collects.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

__all__ = ["give_back_memory", "gives_back_memory"]

_View = TypeVar("_View", bound=Callable[..., Any])


def _libc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _libc()


def give_back_memory() -> None:
    """Free what the last import step left unreachable and return free heap pages to the OS."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def gives_back_memory(view: _View) -> _View:
    """Run the view, then :func:`give_back_memory` (whatever the view raised or returned)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        finally:
            give_back_memory()

    return wrapper  # type: ignore[return-value]
