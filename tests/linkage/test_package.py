"""The linkage package keeps a thin, sorted public surface and stays free of Django."""

import subprocess
import sys

import testimonio.linkage as linkage


def test_all_is_sorted_and_every_name_exists():
    assert linkage.__all__ == sorted(linkage.__all__)
    assert all(hasattr(linkage, name) for name in linkage.__all__)


def test_importing_linkage_loads_neither_django_nor_the_cli():
    code = (
        "import sys, testimonio.linkage; "
        "print(any(m == 'django' or m.startswith(('django.', 'testimonio.web', 'testimonio.cli'))"
        " for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
