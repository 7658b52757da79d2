"""The full-text index of the library.

SQLite: the FTS5 table of the search core (samen030/core/search.py), filled by services.reindex.
PostgreSQL: a stored generated tsvector column with a GIN index. The core's other option, a GIN index on the
tsvector *expression*, makes PostgreSQL recompute the vector of every candidate row (prefix queries are always
rechecked, and ts_rank recomputes it too); with the text of whole files in the index a common word then took
seconds at 10,000 items. A stored column is read, not recomputed.
"""

from django.db import migrations

from samen030.core import search

SPEC = search.SearchSpec(
    table="knowledge_item", columns=("search_title", "search_tags", "search_body"), fts_table="knowledge_item_fts"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        vector = search.postgres_vector_sql(SPEC)
        schema_editor.execute(
            f'ALTER TABLE "knowledge_item" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS ({vector}) STORED'
        )
        schema_editor.execute(
            'CREATE INDEX "knowledge_item_search_vector" ON "knowledge_item" USING gin ("search_vector")'
        )
    else:
        search.create_index(SPEC, schema_editor)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "knowledge_item" DROP COLUMN IF EXISTS "search_vector"')
    else:
        search.drop_index(SPEC, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_library")]
    operations = [migrations.RunPython(create, drop)]
