"""Full-text search of coalitions over name and summary (see ``coalitions/search.py``): an FTS5
external-content table kept in step by triggers on SQLite, a GIN expression index on
PostgreSQL.  Written by hand, like ``commitments/0004_full_text_search``."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE coalitions_coalition_fts USING fts5(
        name, summary, content='coalitions_coalition', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER coalitions_coalition_fts_ai AFTER INSERT ON coalitions_coalition BEGIN
        INSERT INTO coalitions_coalition_fts(rowid, name, summary)
        VALUES (new.id, new.name, new.summary); END""",
    """CREATE TRIGGER coalitions_coalition_fts_ad AFTER DELETE ON coalitions_coalition BEGIN
        INSERT INTO coalitions_coalition_fts(coalitions_coalition_fts, rowid, name, summary)
        VALUES ('delete', old.id, old.name, old.summary); END""",
    """CREATE TRIGGER coalitions_coalition_fts_au AFTER UPDATE OF name, summary
        ON coalitions_coalition BEGIN
        INSERT INTO coalitions_coalition_fts(coalitions_coalition_fts, rowid, name, summary)
        VALUES ('delete', old.id, old.name, old.summary);
        INSERT INTO coalitions_coalition_fts(rowid, name, summary)
        VALUES (new.id, new.name, new.summary); END""",
    "INSERT INTO coalitions_coalition_fts(coalitions_coalition_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS coalitions_coalition_fts_ai",
    "DROP TRIGGER IF EXISTS coalitions_coalition_fts_ad",
    "DROP TRIGGER IF EXISTS coalitions_coalition_fts_au",
    "DROP TABLE IF EXISTS coalitions_coalition_fts",
]
PG_FORWARD = [
    "CREATE INDEX coalitions_coalition_search ON coalitions_coalition USING GIN "
    "(to_tsvector('simple'::regconfig, name || ' ' || summary))",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS coalitions_coalition_search"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("coalitions", "0002_import_batch")]
    operations = [migrations.RunPython(forward, backward)]
