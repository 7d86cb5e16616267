"""PostgreSQL only: a stored generated, weighted tsvector over the analysed terms with a GIN index, and
pg_trgm with a trigram index on the question (typo fallback). SQLite searches in process instead."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The terms are analysed in Python (Dutch snowball stems, compound parts, synonyms of the article),
    # so the 'simple' configuration only splits them; both backends then see exactly the same terms.
    """
    ALTER TABLE lifeevents_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(search_a, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(search_b, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(search_c, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX lifeevents_article_search_gin ON lifeevents_article USING GIN (search_vector)",
    "CREATE INDEX lifeevents_article_question_trgm ON lifeevents_article USING GIN (lower(question) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS lifeevents_article_question_trgm",
    "DROP INDEX IF EXISTS lifeevents_article_search_gin",
    "ALTER TABLE lifeevents_article DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("lifeevents", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
