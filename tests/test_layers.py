"""Layers point one way: the core packages import no Django and no CLI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

ADAPTERS = {"testimonio.web", "testimonio.cli"}


def core_modules() -> list[str]:
    """Every module of the package outside the Django and CLI adapters (found, not listed).

    Walks the folders without importing anything, so the adapters are never loaded here.
    """
    import testimonio

    found: list[str] = []
    pending = [(Path(path), "testimonio") for path in testimonio.__path__]
    while pending:
        folder, prefix = pending.pop()
        for info in pkgutil.iter_modules([str(folder)]):
            name = f"{prefix}.{info.name}"
            if name in ADAPTERS or info.name == "__main__":
                continue
            found.append(name)
            if info.ispkg:
                pending.append((folder / info.name, name))
    return sorted(found)


def test_there_are_core_modules_to_check() -> None:
    assert {"testimonio.errors", "testimonio.crypto", "testimonio.vocab.bundle"} <= set(
        core_modules()
    )


def test_the_core_packages_import_without_django() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', "
        "'testimonio.web', 'testimonio.cli')))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
