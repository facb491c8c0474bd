"""The dashboard's charts: Altair specs rendered to SVG on the server with vl-convert.

No JavaScript reaches the browser and nothing is fetched at run time (docs/security.md: the
CSP allows only the app's own origin). The charts show shares with their 95% intervals, so a
reader sees the uncertainty next to every bar.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd
import vl_convert

from testimonio.analysis import Figure


def _frame(figures: Iterable[Figure], label: str) -> pd.DataFrame:
    rows = [
        {label: name, "share": figure.share, "lower": figure.lower, "upper": figure.upper,
         "count": figure.count, "of": figure.denominator}
        for name, figure in ((_label(figure), figure) for figure in figures)
        if figure.share is not None
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=[label, "share", "lower", "upper", "count", "of"])


def _label(figure: Figure) -> str:
    return ", ".join(figure.by.values()) or figure.id.removeprefix("tactic:")


def shares_chart(figures: Iterable[Figure], label: str, title: str) -> str:
    """A horizontal bar per figure (its share) with the 95% interval as a rule; SVG text."""
    frame = _frame(figures, label)
    if frame.empty:
        return ""
    axis = alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    base = alt.Chart(frame).encode(y=alt.Y(f"{label}:N", sort="-x", title=None))
    bars = base.mark_bar(color="#4c78a8").encode(x=axis, tooltip=["count", "of"])
    rules = base.mark_rule(color="#222").encode(x="lower:Q", x2="upper:Q")
    chart = (bars + rules).properties(title=title, width=420, height=alt.Step(16))
    return str(vl_convert.vegalite_to_svg(chart.to_json()))


__all__ = ["shares_chart"]
