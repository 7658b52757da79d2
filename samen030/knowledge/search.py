"""Searching the library: the words of the query against titles, summaries, bodies and the text of the files,
with counts per facet (kind, theme, wijk, licence, year) over the items that match.

`match_items` is the one place that decides which items match a query. It uses the project's full-text core
(samen030/core/search.py: Dutch stemming and accent folding; FTS5 on SQLite, a GIN tsvector index on PostgreSQL),
so "cooperatie" finds "Coöperatie" and "fietsen" finds "fiets"; title matches come first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection
from django.db.models import BooleanField, Count, F, FloatField, Max, Min, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import timezone

from samen030.activities.models import Theme
from samen030.core import search
from samen030.places.models import Buurt, Wijk

from .models import SEARCH_SPEC, Item, ItemQuerySet

# On PostgreSQL the library reads a stored tsvector column (migration 0002) instead of the core's expression.
PG_VECTOR = f'"{SEARCH_SPEC.table}"."search_vector"'
PG_WEIGHTS = "{" + ", ".join(str(weight) for weight in (0.1, *reversed(search.WEIGHTS))) + "}"


def match_items(items: ItemQuerySet, query: str) -> ItemQuerySet:
    """The items that contain every word of the query (or its stem), best first: title matches, then relevance."""
    if connection.vendor != "postgresql":
        found: Any = search.search(items, SEARCH_SPEC, query)  # annotated with title_hits and search_rank
        return cast(ItemQuerySet, found.order_by("-title_hits", "-search_rank", "-created_at"))
    terms = search.parse_query(query)
    if not terms:
        return items
    tsquery = search.tsquery(terms)
    matched = (
        items.alias(_search_title=Concat(Value(" "), F("search_title"), output_field=TextField()))
        .annotate(title_hits=search.title_hits(terms))
        .filter(
            RawSQL(  # noqa: S611 (the query is a parameter)
                f"{PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)", [tsquery], output_field=BooleanField()
            )
        )
        .annotate(
            search_rank=RawSQL(  # noqa: S611
                f"ts_rank('{PG_WEIGHTS}'::float4[], {PG_VECTOR}, to_tsquery('simple'::regconfig, %s))",
                [tsquery],
                output_field=FloatField(),
            )
        )
    )
    return matched.order_by("-title_hits", "-search_rank", "-created_at")


def matching_ids(query: str) -> RawSQL | None:
    """An uncorrelated subquery of the ids of the items that match every word of the query (None: nothing to
    search for). Unlike `match_items` it names no outer table, so it works inside the facet queries."""
    terms = search.parse_query(query)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        sql = f'SELECT "id" FROM "{SEARCH_SPEC.table}" WHERE "search_vector" @@ to_tsquery(\'simple\'::regconfig, %s)'  # noqa: S608
        return RawSQL(sql, [search.tsquery(terms)])  # noqa: S611 (the query is a parameter)
    table = SEARCH_SPEC.fts_table
    return RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [search.fts5_query(terms)])  # noqa: S608, S611


@dataclass
class Facets:
    kinds: list[tuple[str, str, int]] = field(default_factory=list)
    themes: list[tuple[str, str, int]] = field(default_factory=list)
    wijken: list[tuple[str, str, int]] = field(default_factory=list)
    licences: list[tuple[str, str, int]] = field(default_factory=list)
    years: list[tuple[str, str, int]] = field(default_factory=list)


def year_counts(items: ItemQuerySet) -> list[tuple[int, int]]:
    """Items per year (in Utrecht's time zone), newest first, with one range count per year: no per-row date
    function, which SQLite would run in Python for every row."""
    span = items.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return []
    first, last = timezone.localtime(span["first"]).year, timezone.localtime(span["last"]).year
    zone = timezone.get_current_timezone()

    def start(year: int) -> dt.datetime:
        return dt.datetime(year, 1, 1, tzinfo=zone)

    counts = items.aggregate(
        **{
            f"y{year}": Count("pk", filter=Q(created_at__gte=start(year), created_at__lt=start(year + 1)))
            for year in range(first, last + 1)
        }
    )
    return [(year, counts[f"y{year}"]) for year in range(last, first - 1, -1) if counts[f"y{year}"]]


def wijk_counts(ids: Any) -> dict[str, int]:
    """Items per wijk, counting an item once per wijk whether it names the wijk or one of its buurten."""
    subquery, params = ids.query.sql_with_params()
    wijken, buurten = Item.wijken.through._meta.db_table, Item.buurten.through._meta.db_table
    buurt_table = Buurt._meta.db_table
    direct = f'SELECT "wijk_id" AS wijk, "item_id" FROM "{wijken}" WHERE "item_id" IN ({subquery})'  # noqa: S608
    via_buurt = (
        f'SELECT b."wijk_id" AS wijk, l."item_id" FROM "{buurten}" l '  # noqa: S608 (table names from the models)
        f'JOIN "{buurt_table}" b ON b."code" = l."buurt_id" WHERE l."item_id" IN ({subquery})'
    )
    sql = f"SELECT wijk, COUNT(*) FROM ({direct} UNION {via_buurt}) AS links GROUP BY wijk"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        return dict(cursor.fetchall())


def facet_counts(items: ItemQuerySet, *, query: str = "") -> Facets:
    """How many of these items (matching the query, if any) fall in each kind, theme, wijk, licence and year: a
    handful of grouped queries, all in the database."""
    ids_sql = matching_ids(query) if query else None
    if ids_sql is not None:
        items = items.filter(pk__in=ids_sql)
    ids = items.order_by().values("pk")
    kinds = dict(items.order_by().values_list("kind").annotate(n=Count("pk")))
    licences = dict(items.order_by().values_list("licence").annotate(n=Count("pk")))
    theme_counts = dict(
        Item.themes.through.objects.filter(item_id__in=ids).values_list("theme_id").annotate(n=Count("item_id"))
    )
    per_wijk = wijk_counts(ids)
    themes = Theme.objects.filter(pk__in=theme_counts)
    wijken = Wijk.objects.filter(pk__in=per_wijk).order_by("name").only("code", "name")
    return Facets(
        kinds=[(value, str(label), kinds[value]) for value, label in Item.Kind.choices if value in kinds],
        themes=[(theme.slug, str(theme), theme_counts[theme.pk]) for theme in themes],
        wijken=[(wijk.code, wijk.name, per_wijk[wijk.code]) for wijk in wijken],
        licences=[(value, str(label), licences[value]) for value, label in Item.Licence.choices if value in licences],
        years=[(str(year), str(year), count) for year, count in year_counts(items)],
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
