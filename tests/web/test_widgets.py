"""The one-pass widgets write what Django's own widgets write (same elements, attributes and
text, escaped the same way), for empty, chosen and invalid fields."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test.html import parse_html

from testimonio.web.widgets import OnePassCheckboxes, OnePassSelect

CHOICES = [("", "Not known"), ("2504-SYS", "San Ysidro"), ("a&b", '<Tijuana> & "Otay"')]


def _form(select: type[forms.Select], boxes: type[forms.CheckboxSelectMultiple]) -> type:
    class Form(forms.Form):
        port = forms.ChoiceField(choices=CHOICES, required=True, widget=select)
        tactics = forms.MultipleChoiceField(
            choices=CHOICES[1:], required=False, widget=boxes, help_text="Tick all that apply."
        )

    return Form


OURS = _form(OnePassSelect, OnePassCheckboxes)
DJANGOS = _form(forms.Select, forms.CheckboxSelectMultiple)
DATA: list[dict[str, Any] | None] = [
    None,
    {"port": "a&b", "tactics": ["2504-SYS", "a&b"]},
    {"port": "not offered", "tactics": ["nor this"]},  # invalid: aria-invalid, errors
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("name", ["port", "tactics"])
def test_a_one_pass_widget_writes_the_html_djangos_widget_writes(
    data: dict[str, Any] | None, name: str
) -> None:
    ours, djangos = OURS(data, prefix="p"), DJANGOS(data, prefix="p")
    if data is not None:
        assert not ours.is_valid() or data is DATA[1]
        djangos.is_valid()
    assert parse_html(str(ours[name])) == parse_html(str(djangos[name]))


@pytest.mark.parametrize("data", DATA[:2])
def test_a_single_box_tag_is_djangos_too(data: dict[str, Any] | None) -> None:
    ours, djangos = OURS(data, prefix="p"), DJANGOS(data, prefix="p")
    for mine, theirs in zip(ours["tactics"].subwidgets, djangos["tactics"].subwidgets, strict=True):
        assert parse_html(mine.tag()) == parse_html(theirs.tag())
        assert parse_html(mine.tag(wrap_label=True)) == parse_html(theirs.tag(wrap_label=True))


def test_labels_and_values_are_escaped() -> None:
    page = str(OURS(prefix="p")["port"])
    assert "&lt;Tijuana&gt; &amp; &quot;Otay&quot;" in page
    assert 'value="a&amp;b"' in page


def test_option_groups_are_refused_rather_than_written_wrong() -> None:
    class Grouped(forms.Form):
        port = forms.ChoiceField(choices=[("West", [("1", "One")])], widget=OnePassSelect)

    with pytest.raises(TypeError, match="flat choices"):
        str(Grouped()["port"])
