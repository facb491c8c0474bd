"""The public report's pages: one HTML file per language (self-contained) and its PDF.

No external asset: the style is inline, charts are inline SVG, nothing is fetched, so the page
works offline and leaks no reader to a third party. Suppressed cells show a letter, never a
number: ``s`` (small: 1 to k-1 people) or ``c`` (hidden so that a small cell cannot be
worked out). Every value shown is a code, a band, a month or a count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from testimonio.reporting.public.tables import PublicTable
from testimonio.reporting.suppression import TOTAL

__all__ = ["GridTable", "ReportPage", "grid", "report_html"]

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Public report", "release": "Release", "approved": "Approved for publication",
        "draft": "Draft: not approved for publication.", "rule": "Publication rule",
        "rule_text": "Every count from 1 to {last} is hidden (s); further cells are hidden (c) "
        "so that no hidden count can be worked out from the totals, the other tables or "
        "earlier reports. An independent audit checked every hidden cell.",
        "all_hidden": "All cells are suppressed: no count in this project reaches the "
        "publication threshold of {k}.", "legend": "s: hidden, 1 to {last} people. "
        "c: hidden so that a small count cannot be worked out.", "tables": "Tables",
        "csv": "The tables as CSV (one row per cell)", "snapshot": "Snapshot",
        "charts": "Tactics met by persons turned away (published counts only)",
        "other": "Versión en español",
    },
    "es": {
        "title": "Informe público", "release": "Publicación",
        "approved": "Aprobado para publicación", "draft": "Borrador: no aprobado para publicación.",
        "rule": "Regla de publicación",
        "rule_text": "Se oculta todo conteo de 1 a {last} (s); se ocultan otras celdas (c) para "
        "que ningún conteo oculto pueda deducirse de los totales, de las otras tablas o de "
        "informes anteriores. Una auditoría independiente verificó cada celda oculta.",
        "all_hidden": "Todas las celdas están suprimidas: ningún conteo de este proyecto "
        "alcanza el umbral de publicación de {k}.", "legend": "s: oculto, de 1 a {last} "
        "personas. c: oculto para que un conteo pequeño no pueda deducirse.", "tables": "Tablas",
        "csv": "Las tablas en CSV (una fila por celda)", "snapshot": "Instantánea",
        "charts": "Tácticas sufridas por personas rechazadas (solo conteos publicados)",
        "other": "English version",
    },
}  # fmt: skip
MARKS = {"primary": "s", "complementary": "c"}


@dataclass(frozen=True)
class GridTable:
    name: str
    title: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class ReportPage:
    project: str
    month: str
    threshold: int
    approved: str  # a month, or "" for a draft
    snapshot_sha256: str
    all_hidden: bool
    tables: tuple[GridTable, ...]
    chart_svg: str


def grid(item: PublicTable, rows: Sequence[Mapping[str, str]], language: str) -> GridTable:
    """A tidy table as a cross-tab: first dimension down, second across (or one column)."""
    names = [dimension.name for dimension in item.table.dimensions]
    cell = {tuple(row[name] for name in names): _shown(row) for row in rows}
    down = item.table.dimensions[0].values()
    across = item.table.dimensions[1].values() if len(names) > 1 else [TOTAL]
    body = tuple(
        (value, tuple(cell[(value, other) if len(names) > 1 else (value,)] for other in across))
        for value in down
    )
    return GridTable(item.table.name, item.title[language], names[0], tuple(across), body)


def _shown(row: Mapping[str, str]) -> str:
    return MARKS.get(row["suppressed"], row["count"])


STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 60rem; margin: 1.5rem auto;
       padding: 0 1rem; line-height: 1.4; color: #111; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.85rem; }
th, td { border: 1px solid #666; padding: 0.15rem 0.45rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #e8e8e8; }
td.hidden { background: #f3f3f3; font-style: italic; }
.banner { border: 2px solid #111; padding: 0.6rem; font-weight: bold; }
.scroll { overflow-x: auto; }
@page { size: A4 landscape; margin: 15mm; }
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ language }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="dcterms.created" content="{{ page.month }}-01T00:00:00+00:00">
<meta name="dcterms.modified" content="{{ page.month }}-01T00:00:00+00:00">
<title>{{ w.title }}: {{ page.project }} ({{ page.month }})</title>
<style>{{ style }}</style></head><body>
<p><a href="{{ other_href }}">{{ w.other }}</a></p>
<h1>{{ w.title }}: {{ page.project }}</h1>
<p>{{ w.release }}: {{ page.month }}.
{% if page.approved %}{{ w.approved }}: {{ page.approved }}.
{%- else %}<strong>{{ w.draft }}</strong>{% endif %}
{{ w.snapshot }}: <code>{{ page.snapshot_sha256[:16] }}</code>.</p>
<h2>{{ w.rule }} (k = {{ page.threshold }})</h2>
<p>{{ w.rule_text.format(last=page.threshold - 1) }}</p>
{% if page.all_hidden %}
<p class="banner">{{ w.all_hidden.format(k=page.threshold) }}</p>{% endif %}
{% if page.chart_svg %}<h2>{{ w.charts }}</h2>
<div class="chart">{{ page.chart_svg|safe }}</div>{% endif %}
<h2>{{ w.tables }}</h2>
<p>{{ w.legend.format(last=page.threshold - 1) }} {{ w.csv }}: <code>tables/</code>.</p>
{% for table in page.tables %}
<h3 id="{{ table.name }}">{{ table.title }}</h3>
<div class="scroll"><table><thead><tr><th>{{ table.row_heading }}</th>
{% for column in table.columns %}<th>{{ column }}</th>{% endfor %}</tr></thead><tbody>
{% for label, cells in table.rows %}<tr><th>{{ label }}</th>
{% for cell in cells %}<td{% if cell in ("s", "c") %} class="hidden"{% endif %}>
{{- cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>
{% endfor %}
</body></html>
"""

_ENVIRONMENT = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def report_html(page: ReportPage, language: str, other_href: str) -> str:
    context: dict[str, Any] = {"page": page, "language": language, "w": WORDS[language],
                               "style": STYLE, "other_href": other_href}  # fmt: skip
    return _ENVIRONMENT.from_string(TEMPLATE).render(**context)
