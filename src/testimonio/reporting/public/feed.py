"""``feed.xml``: an Atom feed (RFC 4287) with one entry per published release.

Built with the standard library's ElementTree, which escapes every value. Dates are months
(the first day at midnight UTC, as Atom needs a full timestamp): a release says no more.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["write_feed"]

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(month: str) -> str:
    return f"{month}-01T00:00:00Z"


def _add(parent: ElementTree.Element, tag: str, text: str = "", **attributes: str) -> None:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text:
        element.text = text


def write_feed(path: Path, project: str, history: Sequence[dict[str, Any]]) -> None:
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", f"urn:testimonio:reports:{project}")
    _add(feed, "title", f"Testimonio public reports: {project}")
    months = [str(entry["month"]) for entry in history] or ["2000-01"]
    _add(feed, "updated", _stamp(max(months)))
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", "Testimonio")
    _add(feed, "link", href="feed.xml", rel="self")
    for entry in sorted(history, key=lambda item: (str(item["month"]), str(item["id"])),
                        reverse=True):  # fmt: skip
        item = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _add(item, "id", f"urn:testimonio:release:{entry['id']}")
        _add(item, "title", str(entry.get("title", "Public report")))
        _add(item, "updated", _stamp(str(entry["month"])))
        _add(item, "link", href=str(entry.get("link", "index.html")), rel="alternate",
             type="text/html")  # fmt: skip
        _add(item, "summary", str(entry.get("summary", "")))
    ElementTree.indent(feed)
    ElementTree.ElementTree(feed).write(path, encoding="utf-8", xml_declaration=True)
