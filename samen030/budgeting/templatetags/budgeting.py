from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from samen030.activities.text import render_markdown

register = template.Library()


@register.filter
def euros(amount: int | str | None) -> str:
    """Whole euros the Dutch way: 12500 → € 12.500 (a string with cents keeps them: "12.5" → € 12,50)."""
    if amount is None or amount == "":
        return ""
    value = float(amount)
    if value == int(value):
        return "€\u00a0" + f"{int(value):,}".replace(",", ".")
    whole, cents = f"{value:,.2f}".split(".")
    return "€\u00a0" + whole.replace(",", ".") + "," + cents


@register.filter
def markdown(text: str) -> SafeString:
    return mark_safe(render_markdown(text))


@register.filter
def percent_of(part: int | float, whole: int | float) -> int:
    return 0 if not whole else max(0, min(100, round(100 * float(part) / float(whole))))


@register.filter
def get_item(mapping: dict[str, object], key: object) -> object:
    return mapping.get(str(key)) if mapping else None


@register.filter
def phase_label(value: str) -> str:
    """The name of a phase value from the audit log ("stemmen" → "voting")."""
    from samen030.budgeting.models import Phase

    return str(Phase(value).label) if value in Phase.values else str(_("not started yet"))
