"""PostgreSQL only: no GIN pending list on the search index. Articles change rarely; a pending list
(fastupdate) makes every search scan it until the next vacuum, which showed as 40 ms instead of 5 ms."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX lifeevents_article_search_gin SET (fastupdate = off)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX lifeevents_article_search_gin RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("lifeevents", "0002_postgres_search")]
    operations = [migrations.RunPython(forward, backward)]
