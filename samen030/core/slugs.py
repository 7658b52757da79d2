"""Readable, unique web addresses: 'buurthuis-lombok', then 'buurthuis-lombok-2', …"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet
from django.utils.text import slugify


def free_slug(text: str, *, taken: Collection[str], fallback: str, max_length: int) -> str:
    """A slug made from `text` that is not in `taken`."""
    base = slugify(text)[:max_length] or fallback
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def unique_slug(queryset: QuerySet[Any], text: str, *, fallback: str, max_length: int) -> str:
    """A slug made from `text` that no row of `queryset` uses yet."""
    base = slugify(text)[:max_length] or fallback
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    return free_slug(text, taken=taken, fallback=fallback, max_length=max_length)
