"""The Python-written choice widgets give exactly the HTML of the template-rendered ones."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.safestring import mark_safe

from samen030.core.widgets import FastCheckboxSelectMultiple, FastSelect

CHOICES: list[Any] = [
    ("", "All <places> & more"),
    ("Oost", [("a1", 'Buurt "één"'), ("a2", "Wittevrouwen")]),
    ("West & <Zuid>", [("b1", "Lombok"), (2, mark_safe("<b>bold</b>"))]),
    ("c", "Ungrouped 'quote'"),
]


class SampleForm(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False, widget=FastSelect(attrs={"data-x": '"q"', "hidden": True}))
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False, widget=FastCheckboxSelectMultiple)
    flat = forms.MultipleChoiceField(
        choices=[("x", "X & y"), ("z", "Z")], required=False, widget=FastCheckboxSelectMultiple(attrs={"class": "c"})
    )


def template_html(field: forms.BoundField, attrs: dict[str, str | bool] | None = None) -> str:
    widget = field.field.widget
    fast_class = type(widget)
    widget.__class__ = fast_class.__mro__[1]  # the Django widget it derives from, rendered by the templates
    try:
        return str(field.as_widget(attrs=attrs))
    finally:
        widget.__class__ = fast_class


@pytest.mark.parametrize(
    "data", [{}, {"one": "a1", "many": ["a2", "2"], "flat": ["z"]}, {"one": "nonsense", "many": ["b1"]}]
)
def test_fast_widgets_render_the_same_html_as_the_templates(data: dict[str, Any]) -> None:
    form = SampleForm(data or None)
    form.is_valid()
    for field in form:
        all_attrs: list[dict[str, str | bool] | None] = [None, {"class": "utrecht-select", "aria-describedby": "x"}]
        for attrs in all_attrs:
            fast = str(field.as_widget(attrs=attrs))
            assert fast == template_html(field, attrs), field.name
            assert "<optgroup" in fast or "samen030-choices__option" in fast or field.name == "one"


def test_fast_widgets_escape_labels_and_values() -> None:
    html = str(SampleForm()["many"].as_widget()) + str(SampleForm()["one"].as_widget())
    assert "West &amp; &lt;Zuid&gt;" in html
    assert "Buurt &quot;één&quot;" in html
    assert "<b>bold</b>" in html  # a label marked safe stays as it is, as in the template
    assert 'data-x="&quot;q&quot;"' in html
