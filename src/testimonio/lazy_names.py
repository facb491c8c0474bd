"""Package-level names whose modules load on first use (PEP 562), for packages with heavy ones.

``testimonio.linkage`` and ``testimonio.ingest`` offer every public name at the package level,
but some of their modules import Splink, DuckDB, pandas or a spreadsheet reader. Importing the
package, or one light submodule of it (an import worker needs only validation), must not load
them: each name's module is imported the first time the name is used, and the name is then kept
on the package so later uses cost nothing. Type checkers see the names through ``TYPE_CHECKING``
imports in each package.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, whose names live in ``homes``.

    ``homes`` maps each public name to the module that defines it.
    """

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *homes})

    return __getattr__, __dir__
