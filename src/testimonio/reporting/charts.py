"""Report charts that read in black and white: grey bars with black outlines and labels.

Altair describes each chart; vl-convert (which bundles Vega, so nothing is fetched) draws it
as SVG for HTML and as PNG for Word and PDF. No colour carries meaning: bars are mid grey with
a black outline, intervals are black rules with end ticks, and every bar is labelled, so a
photocopy or a court's monochrome printer loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import vl_convert

__all__ = ["Chart", "count_chart", "share_chart"]

BAR_GREY = "#b0b0b0"
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Chart:
    """A chart drawn in greys with outlines and labels, so a black-and-white copy reads."""

    id: str
    title: str
    description: str
    svg: str
    png: bytes = field(repr=False)


def _render(
    chart: alt.LayerChart | alt.FacetChart | alt.Chart, chart_id: str, title: str, description: str
) -> Chart:
    spec = chart.properties(title=title).configure(font=FONT).configure_view(stroke=None).to_json()
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=vl_convert.vegalite_to_svg(spec),
        png=vl_convert.vegalite_to_png(spec, scale=2),
    )


def share_chart(
    chart_id: str, title: str, rows: Sequence[dict[str, Any]], description: str = ""
) -> Chart:
    """Horizontal bars of shares (``label``, ``share``, ``lower``, ``upper``) with intervals."""
    height = max(60, 22 * len(rows))
    base = alt.Chart(alt.Data(values=list(rows))).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=260))
    )
    share = alt.X(
        "share:Q", title="share (95% interval)", scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%"),
    )  # fmt: skip
    bars = base.mark_bar(color=BAR_GREY, stroke="black", strokeWidth=0.8).encode(x=share)
    rules = base.mark_rule(color="black", strokeWidth=1.5).encode(x="lower:Q", x2="upper:Q")
    ends = base.mark_tick(color="black", thickness=1.5, size=10)
    labels = base.mark_text(align="left", dx=4, dy=-7, fontSize=9).encode(
        x="upper:Q", text=alt.Text("share:Q", format=".0%")
    )
    layered = alt.layer(
        bars, rules, ends.encode(x="lower:Q"), ends.encode(x="upper:Q"), labels
    ).properties(width=360, height=height)
    return _render(layered, chart_id, title, description)


def count_chart(
    chart_id: str, title: str, rows: Sequence[dict[str, Any]], axis_title: str,
    description: str = "",
) -> Chart:  # fmt: skip
    """Vertical bars of counts (``label``, ``count``), each labelled with its number."""
    base = alt.Chart(alt.Data(values=list(rows))).encode(
        x=alt.X(
            "label:N",
            sort=None,
            title=None,
            axis=alt.Axis(labelAngle=0 if len(rows) <= 8 else -40, labelLimit=220),
        )
    )
    bars = base.mark_bar(color=BAR_GREY, stroke="black", strokeWidth=0.8).encode(
        y=alt.Y("count:Q", title=axis_title)
    )
    labels = base.mark_text(dy=-6, fontSize=9).encode(y="count:Q", text="count:Q")
    layered = alt.layer(bars, labels).properties(width=max(120, 40 * len(rows)), height=200)
    return _render(layered, chart_id, title, description)
