"""Choice widgets that write their options in Python instead of one template per option.

Django renders every option of a select or a list of checkboxes through two or three small templates. For a form
with a couple of hundred options (the search filters: buurten grouped by wijk, themes, target groups, languages)
that is most of the time spent on the page. These widgets produce the same HTML, byte for byte, as our templates
`django/forms/widgets/select.html` and `multiple_input.html` with Django's option templates (a test compares them),
escaping every value with Django's own `escape`. Use them for long lists; any other widget still renders through
the templates.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _value(value: Any) -> str:
    """As the templates' `{{ value|stringformat:'s' }}`: str(), then escaped unless already safe."""
    return str(conditional_escape(value if isinstance(value, SafeString) else str(value)))


def flat_attrs(attrs: dict[str, Any]) -> str:
    """As `django/forms/widgets/attrs.html`: ` name="value"` for each attribute, ` name` for True, none for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_value(value)}"'
        )
    return "".join(parts)


class FastSelect(forms.Select):
    """A select (optionally with option groups) written in Python; the same HTML as the template."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{conditional_escape(widget["name"])}"{flat_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                out.append(
                    f'\n  <option value="{_value(option["value"])}"{flat_attrs(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))


class FastCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes (optionally in named groups) written in Python; the same HTML as `multiple_input.html`."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        list_id = conditional_escape(widget["attrs"].get("id") or widget["name"])
        out = ['<div class="samen030-choices__list">']
        for group, options, index in widget["optgroups"]:
            if group:
                label_id = f"{list_id}_group_{conditional_escape(index)}"
                out.append(
                    f'\n  <div class="samen030-choices__group" role="group" aria-labelledby="{label_id}">'
                    f'<span class="samen030-choices__group-label" id="{label_id}">{conditional_escape(group)}</span>'
                )
            for option in options:
                option_id = option["attrs"].get("id")
                label_open = f'<label for="{_value(option_id)}">' if option_id else "<label>"
                value_attr = f' value="{_value(option["value"])}"' if option["value"] is not None else ""
                out.append(
                    f'<div class="samen030-choices__option">\n    {label_open}<input type="{option["type"]}" '
                    f'name="{conditional_escape(option["name"])}"{value_attr}{flat_attrs(option["attrs"])}>\n'
                    f" {conditional_escape(option['label'])}</label>\n\n</div>"
                )
            if group:
                out.append("\n  </div>")
        out.append("\n</div>")
        return mark_safe("".join(out))
