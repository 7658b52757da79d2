"""The full-text index of the library: an FTS5 table on SQLite, a GIN expression index on PostgreSQL."""

from django.db import migrations

from samen030.core import search

SPEC = search.SearchSpec(
    table="knowledge_item", columns=("search_title", "search_tags", "search_body"), fts_table="knowledge_item_fts"
)


def create(apps, schema_editor):
    search.create_index(SPEC, schema_editor)


def drop(apps, schema_editor):
    search.drop_index(SPEC, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_library")]
    operations = [migrations.RunPython(create, drop)]
