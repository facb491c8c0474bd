"""Read the reference tables shipped with a vocabulary bundle (ports, languages, nationalities).

Bundles live in ``testimonio/vocab/data/<bundle>/`` as UTF-8 CSV files with a header row, so a
team can read, diff and review them without our code. This module only reads them; loading
into a project's database is the web adapter's job.
"""

from __future__ import annotations

import csv
import io
from importlib import resources

DEFAULT_BUNDLE = "turnbacks"


def read_table(name: str, bundle: str = DEFAULT_BUNDLE) -> list[dict[str, str]]:
    """Return the rows of ``<bundle>/<name>.csv`` as dicts keyed by its header."""
    resource = resources.files("testimonio.vocab") / "data" / bundle / f"{name}.csv"
    with io.StringIO(resource.read_text(encoding="utf-8")) as handle:
        return list(csv.DictReader(handle))
