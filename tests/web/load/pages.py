"""Reading a page's forms as a browser would post them (for the load driver).

A user of the load test fills the forms the server sent, not a POST made up beside them: the
hidden fields (CSRF token, the intake page's ``submission`` token, the formsets' management
fields) and every value the page shows are posted unchanged, and the choices a user may make
(a select's options, a group of checkboxes) are read from the page too, so the test follows the
real pages and fails when they change in a way a browser would notice.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

#: A link to a person's page: ``/p/<slug>/people/P-000123/``.
PERSON_LINK = re.compile(r"/people/(P-\d+)/")


class FormFields(HTMLParser):
    """Each form on a page: its method, its fields with the values shown (inputs, checked
    boxes, the selected option, text areas) and, under ``_options``, every value each select,
    checkbox group or radio group offers."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._chosen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append({"_method": a.get("method", "get").lower(), "_files": "multipart"
                               in a.get("enctype", ""), "_options": {}})  # fmt: skip
        if not self.forms:
            return
        fields = self.forms[-1]
        if tag == "option" and self._select is not None:
            fields["_options"].setdefault(self._select, []).append(a.get("value", ""))
            # The selected option, else the first, as a browser posts an unchanged <select>.
            if "selected" in a or self._select not in self._chosen:
                fields[self._select] = a.get("value", "")
                self._chosen.add(self._select)
            return
        if "name" not in a:
            return
        if tag == "input":
            self._input(fields, a)
        elif tag == "select":
            self._select = a["name"]
            fields.setdefault(a["name"], "")
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[a["name"]] = ""

    def _input(self, fields: dict[str, Any], a: dict[str, str]) -> None:
        kind, name = a.get("type", "text"), a["name"]
        if kind in ("checkbox", "radio"):
            fields["_options"].setdefault(name, []).append(a.get("value", "on"))
            if "checked" not in a:
                return
            if kind == "checkbox" and name in fields:  # a checked box of a group: a list
                previous = fields[name]
                fields[name] = [*previous, a.get("value", "on")] if isinstance(previous, list) \
                    else [previous, a.get("value", "on")]  # fmt: skip
                return
        if kind not in ("file", "submit", "button"):
            fields[name] = a.get("value", "on" if kind == "checkbox" else "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.forms[-1][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None


def page_forms(page: str, method: str = "post") -> list[dict[str, Any]]:
    """The forms of ``page`` sent with ``method`` (``post`` or ``get``)."""
    parser = FormFields()
    parser.feed(page)
    return [form for form in parser.forms if form["_method"] == method]


def post_forms(page: str) -> list[dict[str, Any]]:
    return page_forms(page, "post")


def form_data(form: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """What a browser would post: the form's values with ``changes`` typed in."""
    data = {key: value for key, value in form.items() if not key.startswith("_")}
    data.update(changes)
    return data


def options(form: dict[str, Any], name: str) -> list[str]:
    """The non-empty values a select or a group of boxes named ``name`` offers."""
    return [value for value in form["_options"].get(name, []) if value]


def next_page_link(page: str) -> str | None:
    """The case list's "Next page" link (its href, unescaped), if there is one."""
    found = re.search(r'rel="next" href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def pseudonyms_after(page: str, marker: str) -> list[str]:
    """The persons linked after ``marker`` on ``page`` (e.g. a lookup's results)."""
    _, found, rest = page.partition(marker)
    return PERSON_LINK.findall(rest) if found else []


__all__ = [
    "PERSON_LINK",
    "FormFields",
    "form_data",
    "next_page_link",
    "options",
    "page_forms",
    "post_forms",
    "pseudonyms_after",
]
