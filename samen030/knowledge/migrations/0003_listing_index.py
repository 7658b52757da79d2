"""One narrow covering index for the list, the facet counts and the order of results (see models.Item.Meta)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]

    operations = [
        migrations.RemoveIndex(
            model_name="item",
            name="knowledge_item_by_kind",
        ),
        migrations.RemoveIndex(
            model_name="item",
            name="knowledge_item_by_licence",
        ),
        migrations.AddIndex(
            model_name="item",
            index=models.Index(
                fields=["audience", "hidden_at", "created_at", "kind", "licence", "author"],
                name="knowledge_item_listing",
            ),
        ),
    ]
