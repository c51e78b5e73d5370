"""A GIN index on the words of each post, for community search on PostgreSQL. The expression is
the one ``community.search.selectors`` filters on (``SearchVector("body_html",
config="english")``), so the planner uses it. SQLite has no such index: search there reads the
database with ``icontains`` instead, so this changes nothing on SQLite."""

from django.db import migrations

INDEX = "community_post_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON community_post USING gin "
        "(to_tsvector('english'::regconfig, COALESCE(body_html, '')))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("community", "0009_saved_threads_search_slugs")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
