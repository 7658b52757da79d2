"""Searching the library: the words of the query against titles, summaries, bodies and the text of the files,
with counts per facet (kind, theme, wijk, licence, year) over the items that match.

`find` is the one place that decides which items match a query and in which order. It uses the project's
full-text core (samen030/core/search.py: Dutch stemming and accent folding; FTS5 on SQLite, a GIN-indexed tsvector
column on PostgreSQL), so "cooperatie" finds "Coöperatie" and "fietsen" finds "fiets". One request costs a fixed
handful of queries, whatever the number of matches:

1. the full-text match, run **once**: the ids of the items that contain every word (`matching_ids`);
2. one query for all facet counts and the total, over the visible, filtered items among those ids (`facet_counts`);
3. the ids of one page in order, then the cards of those ids (`Results`).

Order: items with more of the words in their title first, always. Then, when at most `RANKED_MATCHES` items are
found, by the database's relevance score (ts_rank on PostgreSQL, bm25 on SQLite); above that, newest first. A
relevance score needs every matching document's full text (on PostgreSQL the stored vector, kilobytes per item
read from TOAST; on SQLite the positions of every match), which cost most of a second for 10,000 matches, and
for a word found in thousands of items "newest first" among the title matches and then the others is as useful.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.db import DatabaseError, connection
from django.db.models import BooleanField, F, IntegerField, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import timezone

from samen030.activities.models import Theme
from samen030.core import search
from samen030.places.models import Buurt, Wijk

from .models import SEARCH_SPEC, Item, ItemQuerySet

# Up to this many results are ordered by relevance (after the title matches); more are ordered newest first.
RANKED_MATCHES = 1_000
# On PostgreSQL the library reads a stored tsvector column (migration 0002) instead of the core's expression.
TABLE = SEARCH_SPEC.table
PG_VECTOR = f'"{TABLE}"."search_vector"'
PG_WEIGHTS = "{" + ", ".join(str(weight) for weight in (0.1, *reversed(search.WEIGHTS))) + "}"


def matching_ids(terms: Sequence[search.Term]) -> list[int]:
    """The ids of all items (visible or not) that contain every term: the one full-text query of a search."""
    if connection.vendor == "postgresql":
        return _postgres_matching_ids(search.tsquery(terms))
    fts = SEARCH_SPEC.fts_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s', [search.fts5_query(terms)])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _postgres_matching_ids(tsquery: str) -> list[int]:
    """The GIN index answers the match from the index alone, without reading a single vector. For a word in most
    items, though, the planner prefers a sequential scan, which unpacks every stored vector from TOAST to test it:
    3 to 10 times slower. So this one query runs with sequential scans switched off, and the setting is put back.
    (Not with SET LOCAL: outside a transaction it would not last until the query, inside one it would outlast it.)"""
    sql = f'SELECT "id" FROM "{TABLE}" WHERE "search_vector" @@ to_tsquery(\'simple\'::regconfig, %s)'  # noqa: S608
    restore = "SELECT set_config('enable_seqscan', %s, false)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', false)")
        previous = cursor.fetchone()[0]
        try:
            cursor.execute(sql, [tsquery])
            ids = [row[0] for row in cursor.fetchall()]
        except DatabaseError:
            if not connection.in_atomic_block:  # in a transaction, its rollback undoes the SET
                cursor.execute(restore, [previous])
            raise
        cursor.execute(restore, [previous])
    return ids


def among(items: ItemQuerySet, ids: list[int]) -> ItemQuerySet:
    """Keep the items whose id is in `ids`: one parameter, however many ids (an array on PostgreSQL, a JSON list on
    SQLite), written as text here: psycopg's own list adapter took some 15 ms for 10,000 ids. On SQLite the unary +
    keeps the planner from looking every id up in the wide table (an item's visibility columns sit behind its text
    there); it reads the narrow covering index `knowledge_item_listing` instead."""
    if connection.vendor == "postgresql":
        condition = RawSQL(  # noqa: S611 (the ids are a parameter)
            f'"{TABLE}"."id" = ANY(%s::bigint[])',
            ["{" + ",".join(map(str, ids)) + "}"],
            output_field=BooleanField(),
        )
    else:
        condition = RawSQL(  # noqa: S611
            f'+"{TABLE}"."id" IN (SELECT value FROM json_each(%s))',  # noqa: S608 (the table name is ours)
            [json.dumps(ids)],
            output_field=BooleanField(),
        )
    return items.filter(condition)


def with_title_hits(items: ItemQuerySet, terms: Sequence[search.Term]) -> Any:
    """Annotate `title_hits`: how many of the terms start a word of the title. PostgreSQL reads the short title
    column (the core's expression); SQLite asks the FTS5 index once per term (`search_title : "word"*`), because
    there reading the column means reading the whole wide row."""
    if connection.vendor == "postgresql":
        title = Concat(Value(" "), F(SEARCH_SPEC.title_column), output_field=TextField())
        return items.alias(_search_title=title).annotate(title_hits=search.title_hits(terms))
    fts = SEARCH_SPEC.fts_table
    case = f'(CASE WHEN "{TABLE}"."id" IN (SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s) THEN 1 ELSE 0 END)'  # noqa: S608
    params = [
        f"{SEARCH_SPEC.title_column} : (" + " OR ".join(f'"{prefix}"*' for prefix in term.prefixes) + ")"
        for term in terms
    ]
    hits = RawSQL(" + ".join([case] * len(terms)), params, output_field=IntegerField())  # noqa: S611
    return items.annotate(title_hits=hits)


class Results(Sequence[Item]):
    """The ordered results for Django's Paginator: it asks for the length and for one slice, and only that slice's
    items are read (with their themes and organisations). `ordered_ids` is a list or a query of ids."""

    def __init__(self, ordered_ids: Sequence[int] | QuerySet[Any, Any], total: int) -> None:
        self._ids = ordered_ids
        self.total = total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> Item: ...

    @overload
    def __getitem__(self, index: slice) -> list[Item]: ...

    def __getitem__(self, index: int | slice) -> Item | list[Item]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = list(self._ids[index])
        found = Item.objects.for_listing().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


@dataclass
class Facets:
    total: int = 0
    kinds: list[tuple[str, str, int]] = field(default_factory=list)
    themes: list[tuple[str, str, int]] = field(default_factory=list)
    wijken: list[tuple[str, str, int]] = field(default_factory=list)
    licences: list[tuple[str, str, int]] = field(default_factory=list)
    years: list[tuple[str, str, int]] = field(default_factory=list)


def find(items: ItemQuerySet, query: str) -> tuple[Results, Facets]:
    """The items (visible and filtered already) that contain every word of the query, best first, with the facet
    counts over them. A query without searchable words (only stop words, say) keeps every item, newest first."""
    terms = search.parse_query(query)
    if terms:
        items = among(items, matching_ids(terms))
    facets = facet_counts(items)
    newest = ("-created_at", "-pk")
    if not terms:
        return Results(items.order_by(*newest).values_list("pk", flat=True), facets.total), facets
    if facets.total > RANKED_MATCHES:
        ordered = with_title_hits(items, terms).order_by("-title_hits", *newest)
        return Results(ordered.values_list("pk", flat=True), facets.total), facets
    return Results(ranked_ids(items, terms), facets.total), facets


def ranked_ids(items: ItemQuerySet, terms: Sequence[search.Term]) -> list[int]:
    """The ids of at most RANKED_MATCHES items: title hits first, then the database's relevance, then newest."""
    found = with_title_hits(items.order_by(), terms)
    if connection.vendor == "postgresql":
        rank = RawSQL(  # noqa: S611 (the query is a parameter)
            f"ts_rank('{PG_WEIGHTS}'::float4[], {PG_VECTOR}, to_tsquery('simple'::regconfig, %s))",
            [search.tsquery(terms)],
        )
        rows = list(found.annotate(rank=rank).values_list("pk", "title_hits", "created_at", "rank"))
    else:
        # bm25 exists only inside an FTS5 query, so the match runs again here, for at most a few thousand rows.
        fts = SEARCH_SPEC.fts_table
        weights = ", ".join(str(weight) for weight in search.WEIGHTS[: len(SEARCH_SPEC.columns)])
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT rowid, -bm25("{fts}", {weights}) FROM "{fts}" WHERE "{fts}" MATCH %s',  # noqa: S608
                [search.fts5_query(terms)],
            )
            ranks = dict(cursor.fetchall())
        rows = [
            (pk, hits, created, ranks.get(pk, 0.0))
            for pk, hits, created in found.values_list("pk", "title_hits", "created_at")
        ]
    rows.sort(key=lambda row: (row[1], row[3], row[2], row[0]), reverse=True)
    return [row[0] for row in rows]


def year_starts() -> list[tuple[int, dt.datetime]]:
    """(year, 1 January 0:00 in Utrecht) for every year with items, newest first (from the created_at index)."""
    oldest = Item.objects.order_by("created_at").values_list("created_at", flat=True).first()
    newest = Item.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if oldest is None or newest is None:
        return []
    first, last = timezone.localtime(oldest).year, timezone.localtime(newest).year
    zone = timezone.get_current_timezone()
    return [(year, dt.datetime(year, 1, 1, tzinfo=zone)) for year in range(last, first - 1, -1)]


def facet_counts(items: ItemQuerySet) -> Facets:
    """How many of these items fall in each kind, theme, wijk, licence and year, and how many there are: one query.
    The items are selected once, in a common table expression that both databases materialise because it is read
    several times. The other tables join it: `IN (SELECT id FROM m)` made SQLite build an index of all of m for
    each use, even against an empty table. Years are ranges, so no per-row date function runs (SQLite would run it
    in Python). An item counts once per wijk whether it names the wijk, one of its buurten or both: the wijken it
    names, plus the wijken of its buurten that it does not name (each item once)."""
    base, params = items.order_by().values_list("pk", "kind", "licence", "created_at").query.sql_with_params()
    starts = year_starts()
    if not starts:
        return Facets()
    year = "CASE " + " ".join(f"WHEN m.created_at >= %s THEN '{year}'" for year, _start in starts) + " END"
    year_params = [connection.ops.adapt_datetimefield_value(start) for _year, start in starts]
    themes = Item.themes.through._meta.db_table
    wijken, buurten = Item.wijken.through._meta.db_table, Item.buurten.through._meta.db_table
    buurt_table = Buurt._meta.db_table
    sql = f"""
        WITH m (id, kind, licence, created_at) AS ({base})
        SELECT 'kind', m.kind, COUNT(*) FROM m GROUP BY m.kind
        UNION ALL SELECT 'licence', m.licence, COUNT(*) FROM m GROUP BY m.licence
        UNION ALL SELECT 'year', {year}, COUNT(*) FROM m GROUP BY 2
        UNION ALL SELECT 'theme', CAST(t.theme_id AS TEXT), COUNT(*)
            FROM m JOIN "{themes}" t ON t.item_id = m.id GROUP BY t.theme_id
        UNION ALL SELECT 'wijk', w.wijk_id, COUNT(*) FROM m JOIN "{wijken}" w ON w.item_id = m.id GROUP BY w.wijk_id
        UNION ALL SELECT 'buurt', b.wijk_id, COUNT(DISTINCT l.item_id)
            FROM m JOIN "{buurten}" l ON l.item_id = m.id JOIN "{buurt_table}" b ON b.code = l.buurt_id
            WHERE NOT EXISTS (SELECT 1 FROM "{wijken}" w WHERE w.item_id = l.item_id AND w.wijk_id = b.wijk_id)
            GROUP BY b.wijk_id
    """  # noqa: S608 (table names come from the models, years are integers; every value is a parameter)
    counts: dict[str, dict[str, int]] = {"kind": {}, "licence": {}, "year": {}, "theme": {}, "wijk": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *year_params])
        for facet, value, count in cursor.fetchall():
            # An item counts once per wijk: named directly ('wijk'), or only through its buurten ('buurt').
            key = "wijk" if facet == "buurt" else facet
            counts[key][str(value)] = counts[key].get(str(value), 0) + count
    kinds, licences, per_theme, per_wijk = counts["kind"], counts["licence"], counts["theme"], counts["wijk"]
    theme_list = Theme.objects.filter(pk__in=[int(pk) for pk in per_theme])
    wijk_list = Wijk.objects.filter(pk__in=per_wijk).only("code", "name").order_by("name")  # not the boundaries
    return Facets(
        total=sum(kinds.values()),
        kinds=[(value, str(label), kinds[value]) for value, label in Item.Kind.choices if value in kinds],
        themes=[(theme.slug, str(theme), per_theme[str(theme.pk)]) for theme in theme_list],
        wijken=[(wijk.code, wijk.name, per_wijk[wijk.code]) for wijk in wijk_list],
        licences=[(value, str(label), licences[value]) for value, label in Item.Licence.choices if value in licences],
        years=[
            (str(year), str(year), counts["year"][str(year)]) for year, _start in starts if str(year) in counts["year"]
        ],
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
