from __future__ import annotations

from django import template
from django.http import QueryDict

register = template.Library()


@register.filter
def without(query: QueryDict, name: str) -> str:
    """The query string without `name` and without the page number, ready for `name=value` to be appended."""
    copy = query.copy()
    copy.pop(name, None)
    copy.pop("page", None)
    encoded = copy.urlencode()
    return f"{encoded}&" if encoded else ""


@register.filter
def filesize(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} kB"
