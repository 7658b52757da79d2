"""The model-independent search core: normalising, query building, and a real search on the test database
(SQLite or PostgreSQL, whichever DATABASE_URL names) through a table made only for this test."""

from __future__ import annotations

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from samen030.core import search
from samen030.core.search import SearchSpec, Term


def test_fold_removes_accents_and_case():
    assert search.fold("Taalcafé ÉÉN Coöperatie") == "taalcafe een cooperatie"


def test_words_drop_stop_words_and_join_hyphenated_words():
    assert search.words("Het taal-café in de Lombok") == ["taal", "cafe", "taalcafe", "lombok"]


def test_document_adds_dutch_stems():
    doc = search.document("Fietsen repareren", "Koffieochtenden").split()
    assert doc[:2] == ["fietsen", "fiets"]
    assert "koffieochtenden" in doc
    assert "koffieocht" in doc


def test_parse_query_folds_stems_and_removes_duplicates_and_short_words():
    assert search.parse_query("Taalcafé taalcafe a in") == [Term("taalcafe", "taalcafe")]
    assert search.parse_query("de het een") == []
    assert len(search.parse_query(" ".join(f"woord{n}" for n in range(40)))) == search.MAX_TERMS


def test_a_term_matches_its_word_too_when_the_stem_is_no_prefix_of_it():
    assert Term("fietsen", "fiets").prefixes == ("fiets",)
    assert Term("eten", "eet").prefixes == ("eten", "eet")


def test_query_text_for_each_backend():
    terms = [Term("eten", "eet"), Term("lombok", "lombok")]
    assert search.fts5_query(terms) == '("eten"* OR "eet"*) AND "lombok"*'
    assert search.tsquery(terms) == "(eten:* | eet:*) & lombok:*"


def test_a_spec_refuses_names_that_are_not_plain_identifiers():
    with pytest.raises(ValueError, match="SearchSpec"):
        SearchSpec(table="x; drop table y", columns=("a",), fts_table="x_fts")
    with pytest.raises(ValueError, match="SearchSpec"):
        SearchSpec(table="x", columns=("a", "b", "c", "d"), fts_table="x_fts")


SPEC = SearchSpec(table="core_searchthing", columns=("title_doc", "tags_doc", "body_doc"), fts_table="core_search_fts")

ROWS = [
    ("Taalcafé", "taal ontmoeting", "Samen Nederlands oefenen."),
    ("Koffieochtend", "ontmoeting", "Een kop koffie en een praatje in het buurthuis."),
    ("Fietsreparatie", "fiets", "Wij maken je fiets weer heel."),
    ("Buurtmaaltijd", "eten", "Samen eten. Wie wil mag koken; taalcafé-bezoekers zijn ook welkom, taalcafé!"),
]


@pytest.fixture
def things(transactional_db):
    """A throw-away model and table with three search columns, indexed the way a migration would do it."""
    with isolate_apps("samen030.core"):

        class SearchThing(models.Model):  # noqa: DJ008 (a throw-away table)
            title = models.CharField(max_length=100)
            title_doc = models.TextField()
            tags_doc = models.TextField()
            body_doc = models.TextField()

            class Meta:
                app_label = "core"
                db_table = "core_searchthing"

        with connection.schema_editor() as editor:
            editor.create_model(SearchThing)
            search.create_index(SPEC, editor)
        objects = [
            SearchThing.objects.create(
                title=title,
                title_doc=search.document(title),
                tags_doc=search.document(tags),
                body_doc=search.document(body),
            )
            for title, tags, body in ROWS
        ]
        search.sqlite_index_rows(SPEC, [(o.pk, o.title_doc, o.tags_doc, o.body_doc) for o in objects])
        yield SearchThing
        with connection.schema_editor() as editor:
            search.drop_index(SPEC, editor)
            editor.delete_model(SearchThing)


def titles(model, text):
    found = search.search(model.objects.all(), SPEC, text).order_by("-title_hits", "-search_rank", "title")
    return [thing.title for thing in found]


def test_search_folds_accents_and_ranks_the_title_match_first(things):
    assert titles(things, "taalcafe") == ["Taalcafé", "Buurtmaaltijd"]


def test_search_finds_by_stem_and_by_prefix(things):
    assert titles(things, "fietsen") == ["Fietsreparatie"]
    assert titles(things, "koffieochtenden") == ["Koffieochtend"]
    assert titles(things, "koffie") == ["Koffieochtend"]


def test_every_word_must_match(things):
    assert titles(things, "samen eten") == ["Buurtmaaltijd"]
    assert titles(things, "samen fiets") == []


def test_a_search_without_searchable_words_keeps_everything(things):
    assert len(titles(things, "de het")) == len(ROWS)


def test_sqlite_rows_can_be_replaced_and_removed(things):
    if connection.vendor != "sqlite":
        search.sqlite_index_rows(SPEC, [(1, "x", "", "")])  # a no-op elsewhere: the index follows the table
        return
    first = things.objects.get(title="Koffieochtend")
    first.title_doc = search.document("Thee")
    first.save()
    search.sqlite_index_rows(SPEC, [(first.pk, first.title_doc, first.tags_doc, first.body_doc)])
    assert titles(things, "thee") == ["Koffieochtend"]
    search.sqlite_remove_rows(SPEC, [first.pk])
    assert titles(things, "thee") == []
