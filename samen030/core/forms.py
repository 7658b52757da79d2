from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class NLDesignFormRenderer(TemplatesSetting):
    """Renders every form and field with NL Design System markup from our own templates."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
