"""A GIN index on the words of each thread's title, so community search on PostgreSQL finds a
thread by its title (through its opening post) without reading every thread. The expression is
the one ``community.search.selectors`` filters on (``SearchVector("title",
config="english")``). SQLite has no such index: search there matches titles with
``icontains``, so this changes nothing on SQLite."""

from django.db import migrations

INDEX = "community_thread_title_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON community_thread USING gin "
        "(to_tsvector('english'::regconfig, COALESCE(title, '')))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("community", "0014_space_resource_description_collection")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
