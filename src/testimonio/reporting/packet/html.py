"""The packet as one HTML page for WeasyPrint: A4 pages, running header, charts as PNG.

Jinja2 escapes every value (``autoescape``), so a code or a label cannot become markup.
"""

from __future__ import annotations

import base64

import jinja2

from testimonio.reporting.packet.content import PacketContent

__all__ = ["packet_html"]

STYLE = """
@page { size: A4; margin: 22mm 18mm 24mm 18mm;
        @top-left { content: string(title); font-size: 8pt; color: #444; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.35; }
h1 { font-size: 17pt; string-set: title content(); margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 8pt;
        table-layout: fixed; }
th, td { border: 0.5pt solid #555; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #e6e6e6; }
tr { break-inside: avoid; }
td.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 6.5pt; word-break: break-all; }
.note { font-size: 8pt; color: #333; }
figure { margin: 3mm 0; break-inside: avoid; }
figure img { max-width: 100%; }
figcaption { font-size: 8pt; }
.chart-page { break-before: page; }
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ content.title }}</title>
<meta name="dcterms.created" content="{{ content.snapshot_created }}">
<meta name="dcterms.modified" content="{{ content.snapshot_created }}">
<meta name="generator" content="Testimonio">
<style>{{ style }}</style></head>
<body>
<h1>{{ content.title }}</h1>
<p>Project {{ content.project }} · snapshot {{ content.snapshot_sha256 }}</p>
{% for section in content.sections %}
<section id="{{ section.id }}"{% if section.charts %} class="chart-page"{% endif %}>
<h2>{{ section.title }}</h2>
{% for paragraph in section.paragraphs %}<p>{{ paragraph }}</p>{% endfor %}
{% for chart in section.charts %}
<figure id="chart-{{ chart.id }}"><img alt="{{ chart.description }}"
 src="data:image/png;base64,{{ png(chart) }}">
<figcaption>{{ chart.title }}. {{ chart.description }}</figcaption></figure>
{% endfor %}
{% for table in section.tables if table.printed %}
<h3>{{ table.title }}</h3>
<table><thead><tr>{% for column in table.columns %}<th>{{ column }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in table.rows %}<tr>{% for cell in row %}
<td{% if cell|length == 64 %} class="hash"{% endif %}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% if table.note %}<p class="note">{{ table.note }}</p>{% endif %}
{% endfor %}
</section>
{% endfor %}
</body></html>
"""

_ENVIRONMENT = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def packet_html(content: PacketContent) -> str:
    def png(chart: object) -> str:
        return base64.b64encode(chart.png).decode("ascii")  # type: ignore[attr-defined]

    return _ENVIRONMENT.from_string(TEMPLATE).render(content=content, style=STYLE, png=png)
