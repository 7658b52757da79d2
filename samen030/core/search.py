"""Full-text search with Dutch stemming and accent folding, the same on SQLite and PostgreSQL.

The database never sees raw text. We normalise in Python, once, when a row is saved:

1. fold accents and case ("Taalcafé" -> "taalcafe"), split into words of letters and digits (a hyphenated word also
   gives the joined word: "taal-café" -> "taal", "cafe", "taalcafe"), and drop a short list of Dutch stop words;
2. add the Dutch Snowball stem of each word when it differs ("fietsen" -> "fietsen fiets").

The result, a plain string of lowercase ASCII words, is stored in ordinary text columns of the row (one column per
weight: title, then tags, then body text). A search is normalised the same way, and each search word matches a stored
word that *starts with* the word or its stem (prefix matching), so "fiets" finds "fietsreparatie" and "taalcafe"
finds "Taalcafé". All words must match (AND).

The backends then only index ASCII words:

- PostgreSQL: `to_tsvector('simple', …)` of the columns (the 'simple' configuration only lowercases, because we did
  the language work already), weighted A/B/C with `setweight`, matched with `to_tsquery('simple', 'word:* & …')`
  and ranked with `ts_rank`. A GIN index on exactly that expression (`postgres_index_sql`) makes it fast.
- SQLite: an FTS5 table with the same columns (`sqlite_create_sql`), filled by `sqlite_index_rows`, matched with
  `"word"*` prefix queries and ranked with `bm25` and the same column weights.

Both rank first by the number of search words found in the title (`title_hits`), so a title match is always above
matches in the description only, on both databases, then by the database's own relevance score.

Nothing here knows a model: a `SearchSpec` names the table, its columns and the FTS5 table. The activities use it
(`activities/search.py`); the knowledge library can use it the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar, cast

import snowballstemmer
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, IntegerField, Model, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

# Words that carry no meaning in a search; matched as prefixes they would match almost everything.
_STOP_WORDS = """
    de het een en of in op aan te van voor met bij naar om uit tot door over als dan dat die dit deze er is zijn
    was wordt worden ook nog niet wel maar wat wie waar hoe je jij u we wij ze zij hij ik mijn ons onze jullie hun
    zich the a an and or of to in on for with at by
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Search words shorter than this are ignored ("a", "3"): as prefixes they would match nearly everything.
MIN_TERM_LENGTH = 2
# At most this many search words are used; more are ignored (a bound on the query's cost).
MAX_TERMS = 12
# Relative weights of the columns in a SearchSpec (title, tags, body), for bm25 and ts_rank.
WEIGHTS = (1.0, 0.4, 0.2)
POSTGRES_LABELS = ("A", "B", "C", "D")

_Model = TypeVar("_Model", bound=Model)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("dutch")


def fold(text: str) -> str:
    """Lowercase and remove accents: 'Taalcafé Één' -> 'taalcafe een'. Other characters are kept."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of a text without stop words; a hyphenated word gives its parts and the joined word."""
    found: list[str] = []
    for match in WORD.finditer(fold(text)):
        token = match.group()
        if "-" in token:
            parts = token.split("-")
            found.extend(part for part in parts if part not in STOP_WORDS)
            found.append("".join(parts))
        elif token not in STOP_WORDS:
            found.append(token)
    return found


def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def document(*texts: str | None) -> str:
    """The stored search text of one column: every word followed by its stem when that differs."""
    out: list[str] = []
    for text in texts:
        for word in words(text or ""):
            out.append(word)
            stemmed = stem(word)
            if stemmed != word:
                out.append(stemmed)
    return " ".join(out)


@dataclass(frozen=True)
class Term:
    """One search word: it matches a stored word that starts with `word` or with `stemmed`."""

    word: str
    stemmed: str

    @property
    def prefixes(self) -> tuple[str, ...]:
        if self.stemmed == self.word or self.word.startswith(self.stemmed):
            return (self.stemmed,)
        return (self.word, self.stemmed)


def parse_query(text: str) -> list[Term]:
    """The terms of what someone typed; empty when nothing searchable is left (only stop words, say)."""
    terms: list[Term] = []
    for word in words(text):
        if len(word) < MIN_TERM_LENGTH:
            continue
        term = Term(word=word, stemmed=stem(word) or word)
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def fts5_query(terms: Sequence[Term]) -> str:
    """'("fietsen"* OR "fiets"*) AND "lombok"*' style FTS5 MATCH text. Words are [a-z0-9] only, so it is safe."""
    parts = []
    for term in terms:
        options = [f'"{prefix}"*' for prefix in term.prefixes]
        parts.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


def tsquery(terms: Sequence[Term]) -> str:
    """'(fietsen:* | fiets:*) & lombok:*' for to_tsquery('simple', …)."""
    parts = []
    for term in terms:
        options = [f"{prefix}:*" for prefix in term.prefixes]
        parts.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
    return " & ".join(parts)


@dataclass(frozen=True)
class SearchSpec:
    """Where the search documents of one model live: its table, the stored columns from the highest weight to the
    lowest (at most three: title, tags, body), and the name of the FTS5 table used on SQLite."""

    table: str
    columns: tuple[str, ...]
    fts_table: str
    pk: str = "id"

    def __post_init__(self) -> None:
        names = [self.table, self.fts_table, self.pk, *self.columns]
        if not 1 <= len(self.columns) <= len(WEIGHTS) or not all(re.fullmatch(r"[a-z_][a-z0-9_]*", n) for n in names):
            raise ValueError("A SearchSpec needs one to three plain lowercase column names.")

    @property
    def title_column(self) -> str:
        return self.columns[0]


def postgres_vector_sql(spec: SearchSpec, *, qualified: bool = False) -> str:
    """The weighted tsvector expression; the GIN index is built on exactly this expression (unqualified)."""
    prefix = f'"{spec.table}".' if qualified else ""
    return " || ".join(
        f"setweight(to_tsvector('simple'::regconfig, coalesce({prefix}\"{column}\", '')), '{POSTGRES_LABELS[index]}')"
        for index, column in enumerate(spec.columns)
    )


def postgres_index_sql(spec: SearchSpec) -> tuple[str, str]:
    """(create, drop) statements for the GIN expression index on PostgreSQL."""
    name = f"{spec.table}_search_gin"
    create = f'CREATE INDEX IF NOT EXISTS "{name}" ON "{spec.table}" USING gin (({postgres_vector_sql(spec)}))'
    return create, f'DROP INDEX IF EXISTS "{name}"'


def sqlite_create_sql(spec: SearchSpec) -> tuple[str, str]:
    """(create, drop) statements for the FTS5 table on SQLite. It keeps its own copy of the normalised text (a few
    megabytes at most) so that it survives the table rebuilds Django's SQLite migrations do."""
    columns = ", ".join(spec.columns)
    create = f'CREATE VIRTUAL TABLE IF NOT EXISTS "{spec.fts_table}" USING fts5({columns}, tokenize="unicode61")'
    return create, f'DROP TABLE IF EXISTS "{spec.fts_table}"'


def create_index(spec: SearchSpec, schema_editor: Any = None) -> None:
    """Create the full-text index for the current database (use in a migration, with RunPython)."""
    conn = schema_editor.connection if schema_editor is not None else connection
    if conn.vendor == "postgresql":
        statement = postgres_index_sql(spec)[0]
    elif conn.vendor == "sqlite":
        statement = sqlite_create_sql(spec)[0]
    else:
        return
    with conn.cursor() as cursor:
        cursor.execute(statement)


def drop_index(spec: SearchSpec, schema_editor: Any = None) -> None:
    conn = schema_editor.connection if schema_editor is not None else connection
    if conn.vendor == "postgresql":
        statement = postgres_index_sql(spec)[1]
    elif conn.vendor == "sqlite":
        statement = sqlite_create_sql(spec)[1]
    else:
        return
    with conn.cursor() as cursor:
        cursor.execute(statement)


def sqlite_index_rows(spec: SearchSpec, rows: Iterable[Sequence[Any]], *, replace_all: bool = False) -> None:
    """Write (pk, column values…) rows into the FTS5 table on SQLite; does nothing on other databases, where the
    index is an expression index that the database keeps up to date itself. `replace_all` empties it first."""
    if connection.vendor != "sqlite":
        return
    rows = list(rows)
    columns = ", ".join(spec.columns)
    marks = ", ".join(["%s"] * (len(spec.columns) + 1))
    with connection.cursor() as cursor:
        if replace_all:
            cursor.execute(f'DELETE FROM "{spec.fts_table}"')  # noqa: S608 (names checked in SearchSpec)
        elif rows:
            cursor.executemany(
                f'DELETE FROM "{spec.fts_table}" WHERE rowid = %s',  # noqa: S608
                [(row[0],) for row in rows],
            )
        if rows:
            cursor.executemany(
                f'INSERT INTO "{spec.fts_table}" (rowid, {columns}) VALUES ({marks})',  # noqa: S608
                [tuple(row) for row in rows],
            )


def sqlite_remove_rows(spec: SearchSpec, pks: Iterable[Any]) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.executemany(f'DELETE FROM "{spec.fts_table}" WHERE rowid = %s', [(pk,) for pk in pks])  # noqa: S608


def title_hits(terms: Sequence[Term], *, alias: str = "_search_title") -> Any:
    """An expression: how many of the terms start a word of the title (the same on every database). `alias` names
    the title column with a space in front (see `search`)."""
    total: Any = Value(0)
    for term in terms:
        conditions = [When(**{f"{alias}__contains": f" {prefix}"}, then=Value(1)) for prefix in term.prefixes]
        total = total + Case(*conditions, default=Value(0), output_field=IntegerField())
    return total


def search(queryset: QuerySet[_Model], spec: SearchSpec, text: str) -> QuerySet[_Model]:
    """Keep the rows that match every term of `text`, annotated with `title_hits` and `search_rank` (higher is
    better on both databases). Order by those yourself (`order_by("-title_hits", "-search_rank")`). A text with no
    searchable words leaves the queryset as it is, with both annotations 0."""
    terms = parse_query(text)
    if not terms:
        return cast(QuerySet[_Model], queryset.annotate(title_hits=Value(0), search_rank=Value(0.0)))
    queryset = queryset.alias(
        _search_title=Concat(Value(" "), F(spec.title_column), output_field=TextField())
    ).annotate(title_hits=title_hits(terms))
    if connection.vendor == "postgresql":
        vector = postgres_vector_sql(spec, qualified=True)
        query = tsquery(terms)
        weights = "{" + ", ".join(str(w) for w in (0.1, *reversed(WEIGHTS))) + "}"
        matched = queryset.filter(
            RawSQL(  # noqa: S611 (the only value, the query, is a parameter)
                f"({vector}) @@ to_tsquery('simple'::regconfig, %s)", [query], output_field=BooleanField()
            )
        ).annotate(
            search_rank=RawSQL(  # noqa: S611
                f"ts_rank('{weights}'::float4[], {vector}, to_tsquery('simple'::regconfig, %s))",
                [query],
                output_field=FloatField(),
            )
        )
        return cast(QuerySet[_Model], matched)
    # SQLite: join the FTS5 table on rowid; bm25 is lower for better matches, so it is negated.
    weights_sql = ", ".join(str(w) for w in WEIGHTS[: len(spec.columns)])
    matched = queryset.extra(  # noqa: S610 (a join with an FTS5 table has no ORM equivalent; all names are checked)
        tables=[spec.fts_table],
        where=[f'"{spec.fts_table}".rowid = "{spec.table}"."{spec.pk}"', f'"{spec.fts_table}" MATCH %s'],
        params=[fts5_query(terms)],
        select={"search_rank": f'-bm25("{spec.fts_table}", {weights_sql})'},
    )
    return cast(QuerySet[_Model], matched)
