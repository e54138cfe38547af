"""PostgreSQL: store the search document in a generated column with a GIN index, so any query
plan reads a stored tsvector instead of parsing the text of every candidate row (measured in
docs/BENCHMARKS.md: directory p95 2.9x faster at 100,000 commitments).  SQLite keeps FTS5."""

from django.db import migrations

PG_FORWARD = [
    "ALTER TABLE commitments_commitment ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, title || ' ' || description)) STORED",
    "CREATE INDEX commitments_commitment_search_document ON commitments_commitment "
    "USING GIN (search_document)",
    "DROP INDEX IF EXISTS commitments_commitment_search",
]
PG_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS commitments_commitment_search ON commitments_commitment "
    "USING GIN (to_tsvector('simple'::regconfig, title || ' ' || description))",
    "DROP INDEX IF EXISTS commitments_commitment_search_document",
    "ALTER TABLE commitments_commitment DROP COLUMN IF EXISTS search_document",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0004_full_text_search")]
    operations = [migrations.RunPython(forward, backward)]
