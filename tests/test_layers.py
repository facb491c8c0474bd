"""Layers point one way: the core packages import no Django and no CLI."""

from __future__ import annotations

import ast
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


# --- Honest public surfaces -------------------------------------------------------------------
#
# The core offers its names at the package level (``testimonio.crypto.Sealer``); the adapters
# use only those, so a module can move inside a package without touching web or cli. Every
# ``__all__`` is sorted, so that a surface reads as an index and a name added twice shows.

SOURCE = Path(__file__).resolve().parents[1] / "src" / "testimonio"


def module_file(name: str) -> Path:
    relative = Path(*name.split(".")[1:])
    package = SOURCE / relative / "__init__.py"
    return package if package.exists() else (SOURCE / relative).with_suffix(".py")


def unsorted_all(source: str) -> list[str] | None:
    """The module's ``__all__`` if it is not sorted, else None (no ``__all__`` counts as sorted)."""
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
            names = [ast.literal_eval(element) for element in node.value.elts]  # type: ignore[union-attr]
            return None if names == sorted(names) else names
    return None


def test_the_sorting_check_catches_an_unsorted_all() -> None:
    assert unsorted_all('__all__ = ["seal_value", "Sealer"]') == ["seal_value", "Sealer"]
    assert unsorted_all('__all__ = ["Sealer", "seal_value"]') is None


def test_every_all_in_the_core_is_sorted() -> None:
    unsorted = {
        name: names
        for name in core_modules()
        if (names := unsorted_all(module_file(name).read_text(encoding="utf-8"))) is not None
    }
    assert unsorted == {}


def core_packages() -> list[str]:
    return [name for name in core_modules() if module_file(name).name == "__init__.py"]


def deep_imports(source: str) -> list[str]:
    """Imports of a core package's submodule (``testimonio.crypto.sealing``), not its names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if is_core_submodule(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if is_core_submodule(node.module):
                found.append(node.module)
            else:  # ``from testimonio.crypto import sealing`` imports a submodule too
                named = (f"{node.module}.{alias.name}" for alias in node.names)
                found += [name for name in named if is_core_submodule(name)]
    return found


def is_core_submodule(name: str) -> bool:
    parts = name.split(".")
    return (
        len(parts) > 2
        and parts[0] == "testimonio"
        and f"testimonio.{parts[1]}" not in ADAPTERS
        and module_file(name).exists()
    )


def test_the_deep_import_check_catches_a_submodule_import() -> None:
    assert deep_imports("from testimonio.crypto.sealing import Sealer") == [
        "testimonio.crypto.sealing"
    ]
    assert deep_imports("import testimonio.linkage.model") == ["testimonio.linkage.model"]
    assert deep_imports("from testimonio.crypto import sealing") == ["testimonio.crypto.sealing"]
    assert deep_imports("from testimonio.crypto import Sealer\nimport testimonio.errors") == []
    assert deep_imports("from testimonio.web.cases import models") == []


def test_web_and_cli_import_only_package_level_names_of_the_core() -> None:
    found = {
        str(path.relative_to(SOURCE)): modules
        for adapter in ("web", "cli")
        for path in sorted((SOURCE / adapter).rglob("*.py"))
        if (modules := deep_imports(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def imported_after(code: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(','.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.strip().split(","))


def test_every_name_a_core_package_offers_exists() -> None:
    code = (
        "import importlib\n"
        f"for name in {core_packages()!r}:\n"
        "    package = importlib.import_module(name)\n"
        "    for public in getattr(package, '__all__', ()):\n"
        "        getattr(package, public)\n"
    )
    assert "testimonio" in imported_after(code)


def test_importing_ingest_with_all_its_names_loads_neither_splink_pandas_nor_openpyxl() -> None:
    code = "import testimonio.ingest as i\nfor name in i.__all__:\n    getattr(i, name)"
    assert imported_after(code).isdisjoint({"splink", "pandas", "openpyxl", "duckdb"})


def test_importing_linkage_loads_splink_only_when_a_name_needs_it() -> None:
    light = "import testimonio.linkage\nfrom testimonio.linkage import normalise_keeping_enye"
    assert imported_after(light).isdisjoint({"splink", "pandas", "duckdb"})
    assert "splink" in imported_after("from testimonio.linkage import LinkageModel")
