"""Choice widgets written in one pass, for the forms with long lists of choices.

Why: Django's ``Select`` and ``CheckboxSelectMultiple`` render every option through a template
(``select_option.html``, ``input_option.html`` and their ``attrs.html``), about a third of a
millisecond each. The intake form shows some 300 options (ports, languages, nationalities,
months, outcomes) and 70 checkboxes; rendered that way they were most of its 200 ms of CPU per
page, which 20 intake users at once could not afford (issue 19, "Load"). These widgets write
the same HTML with :func:`~django.utils.html.format_html`, which escapes every value and label
as the templates do. Flat choices only: no option groups (none of our forms uses them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SELECTED = mark_safe(" selected")  # noqa: S308 - a constant
CHECKED = mark_safe(" checked")  # noqa: S308 - a constant


def _flat(choices: Iterable[tuple[Any, Any]]) -> list[tuple[str, Any]]:
    flat = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            raise TypeError("one-pass widgets take flat choices, not option groups")
        flat.append(("" if value is None else str(value), label))
    return flat


class OnePassSelect(forms.Select):
    """A ``<select>`` whose options are written in one pass (same HTML as ``Select``)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, SELECTED if key in chosen else "", label) for key, label in _flat(self.choices)),
        )
        final = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, final, options)


class OnePassCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes written in one pass, each ``<label><input> label</label>`` in a ``<div>``
    as ``CheckboxSelectMultiple`` writes them; a single box's ``tag()`` (a template that lays
    the boxes out itself) is written the same way."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.pop("id", "")
        chosen = set(self.format_value(value))
        boxes = format_html_join(
            "",
            "<div>{}</div>",
            (
                (self._box(name, key, label, key in chosen, base_id, index, final),)
                for index, (key, label) in enumerate(_flat(self.choices))
            ),
        )
        outer = {"id": base_id or None, "class": final.get("class") or None}
        return format_html("<div{}>{}</div>", flatatt(outer), boxes)

    def _box(
        self,
        name: str,
        value: str,
        label: Any,
        checked: bool,
        base_id: str,
        index: int,
        attrs: dict[str, Any],
    ) -> SafeString:
        box_id = self.id_for_label(base_id, str(index)) if base_id else ""
        box_attrs = {**attrs, **({"id": box_id} if box_id else {})}
        box_attrs.pop("required", None)  # a group: no single box is required
        return format_html(
            '<label{}><input type="checkbox" name="{}" value="{}"{}{}> {}</label>',
            format_html(' for="{}"', box_id) if box_id else "",
            name,
            value,
            flatatt(box_attrs),
            CHECKED if checked else "",
            label,
        )

    def _render(
        self,
        template_name: str,
        context: dict[str, Any],
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        """One box, for ``BoundWidget.tag()``: its ``<input>`` alone, without the template."""
        if template_name != self.option_template_name:
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        box = context["widget"]
        attrs = {key: value for key, value in box["attrs"].items() if key != "checked"}
        tag = format_html(
            '<input type="checkbox" name="{}" value="{}"{}{}>',
            box["name"],
            str(box["value"]),
            flatatt(attrs),
            CHECKED if box["attrs"].get("checked") else "",
        )
        if not box.get("wrap_label"):
            return tag
        target = format_html(' for="{}"', attrs["id"]) if attrs.get("id") else ""
        return format_html("<label{}>{} {}</label>", target, tag, box["label"])


__all__ = ["OnePassCheckboxes", "OnePassSelect"]
