"""The derived search columns of activities, the full-text index (FTS5 on SQLite, a GIN expression index on
PostgreSQL; see core/search.py), and a first fill of both."""

from django.db import migrations, models


def create_index(apps, schema_editor):
    from samen030.activities.search import SPEC
    from samen030.core.search import create_index

    create_index(SPEC, schema_editor)


def drop_index(apps, schema_editor):
    from samen030.activities.search import SPEC
    from samen030.core.search import drop_index

    drop_index(SPEC, schema_editor)


def fill(apps, schema_editor):
    from samen030.activities.search import index_activities

    index_activities(model=apps.get_model("activities", "Activity"))


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_seed_themes_and_target_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="dayparts",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="activity",
            name="first_date",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="activity",
            name="last_date",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="activity",
            name="next_date",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="activity",
            name="search_body",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="activity",
            name="search_tags",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="activity",
            name="search_title",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="activity",
            name="weekdays",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["next_date", "title"], name="activity_next_date"),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
