"""Template helpers that put NL Design System classes on Django's widgets."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

TEXT_INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
)


@register.filter
def field_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "group"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "text"


# Widget type → (NL Design System classes, modifier added when the field is invalid); the first match wins.
WIDGET_CLASSES: list[tuple[tuple[type[forms.Widget], ...], str, str]] = [
    ((forms.CheckboxInput,), "utrecht-checkbox utrecht-checkbox--html-input", "utrecht-checkbox--invalid"),
    ((forms.CheckboxSelectMultiple,), "utrecht-checkbox utrecht-checkbox--html-input", ""),
    ((forms.RadioSelect,), "utrecht-radio-button utrecht-radio-button--html-input", ""),
    ((forms.Textarea,), "utrecht-textarea utrecht-textarea--html-textarea", "utrecht-textarea--invalid"),
    ((forms.Select,), "utrecht-select utrecht-select--html-select", "utrecht-select--invalid"),
    (TEXT_INPUTS, "utrecht-textbox utrecht-textbox--html-input", "utrecht-textbox--invalid"),
]


def _classes(field: BoundField) -> str:
    widget = field.field.widget
    for types, classes, invalid in WIDGET_CLASSES:
        if isinstance(widget, types):
            return f"{classes} {invalid}" if field.errors and invalid else classes
    return ""


@register.simple_tag
def nl_widget(field: BoundField) -> SafeString:
    """The field's widget with our classes and aria-describedby pointing at its description and error."""
    attrs: dict[str, str | bool] = {}
    existing = field.field.widget.attrs.get("class", "")
    classes = " ".join(c for c in (_classes(field), existing) if c)
    if classes:
        attrs["class"] = classes
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    if described and field_kind(field) != "group":
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
