from __future__ import annotations

from django import template

from samen030.funds.money import format_amount

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """{{ account.balance|euro }} → € 1.234,56"""
    return "" if cents is None else format_amount(int(cents))
