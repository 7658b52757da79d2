"""Searching the library: the words of the query against titles, summaries, bodies and the text of the files,
with counts per facet (kind, theme, wijk, licence, year) over the items that match.

`match_items` is the one place that decides which items match a query. It uses the project's full-text core
(samen030/core/search.py: Dutch stemming and accent folding; FTS5 on SQLite, a GIN tsvector index on PostgreSQL),
so "cooperatie" finds "Coöperatie" and "fietsen" finds "fiets"; title matches come first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count
from django.db.models.functions import ExtractYear

from samen030.activities.models import Theme
from samen030.core import search
from samen030.places.models import Wijk

from .models import SEARCH_SPEC, Item, ItemQuerySet


def match_items(items: ItemQuerySet, query: str) -> ItemQuerySet:
    """The items that contain every word of the query (or its stem), best first."""
    found: Any = search.search(items, SEARCH_SPEC, query)  # annotated with title_hits and search_rank
    return cast(ItemQuerySet, found.order_by("-title_hits", "-search_rank", "-created_at"))


@dataclass
class Facets:
    kinds: list[tuple[str, str, int]] = field(default_factory=list)
    themes: list[tuple[str, str, int]] = field(default_factory=list)
    wijken: list[tuple[str, str, int]] = field(default_factory=list)
    licences: list[tuple[str, str, int]] = field(default_factory=list)
    years: list[tuple[str, str, int]] = field(default_factory=list)


def facet_counts(items: ItemQuerySet, *, searched: bool = False) -> Facets:
    """How many of these items fall in each kind, theme, wijk, licence and year (a handful of grouped queries)."""
    ids: Any = items.values("pk")
    if searched:
        # The full-text condition names the item table itself, which a subquery renames: use the matching ids.
        ids = list(items.values_list("pk", flat=True))
    items = Item.objects.filter(pk__in=ids)
    kinds = dict(items.order_by().values_list("kind").annotate(n=Count("pk")))
    licences = dict(items.order_by().values_list("licence").annotate(n=Count("pk")))
    years = (
        items.order_by()
        .annotate(year=ExtractYear("created_at"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    theme_counts = dict(
        Item.themes.through.objects.filter(item_id__in=ids)
        .values_list("theme_id")
        .annotate(n=Count("item_id", distinct=True))
    )
    wijk_items: Counter[str] = Counter()
    seen: set[tuple[str, int]] = set()
    for wijk, item in Item.wijken.through.objects.filter(item_id__in=ids).values_list("wijk_id", "item_id"):
        seen.add((wijk, item))
    for wijk, item in Item.buurten.through.objects.filter(item_id__in=ids).values_list("buurt__wijk_id", "item_id"):
        seen.add((wijk, item))
    wijk_items.update(wijk for wijk, _item in seen)
    themes = Theme.objects.filter(pk__in=theme_counts)
    wijken = Wijk.objects.filter(pk__in=wijk_items).order_by("name")
    return Facets(
        kinds=[(value, str(label), kinds[value]) for value, label in Item.Kind.choices if value in kinds],
        themes=[(theme.slug, str(theme), theme_counts[theme.pk]) for theme in themes],
        wijken=[(wijk.code, wijk.name, wijk_items[wijk.code]) for wijk in wijken],
        licences=[(value, str(label), licences[value]) for value, label in Item.Licence.choices if value in licences],
        years=[(str(year), str(year), count) for year, count in years],
    )


def apply_filters(items: ItemQuerySet, cleaned: dict[str, Any]) -> ItemQuerySet:
    if cleaned.get("kind"):
        items = items.filter(kind=cleaned["kind"])
    if cleaned.get("theme"):
        items = items.with_theme(cleaned["theme"])
    if cleaned.get("wijk"):
        items = items.in_wijk(cleaned["wijk"])
    if cleaned.get("licence"):
        items = items.filter(licence=cleaned["licence"])
    if cleaned.get("year"):
        items = items.filter(created_at__year=cleaned["year"])
    return items
