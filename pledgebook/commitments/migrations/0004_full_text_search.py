from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE commitments_commitment_fts USING fts5(
        title, description, content='commitments_commitment', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER commitments_commitment_fts_ai AFTER INSERT ON commitments_commitment BEGIN
        INSERT INTO commitments_commitment_fts(rowid, title, description)
        VALUES (new.id, new.title, new.description); END""",
    """CREATE TRIGGER commitments_commitment_fts_ad AFTER DELETE ON commitments_commitment BEGIN
        INSERT INTO commitments_commitment_fts(commitments_commitment_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description); END""",
    """CREATE TRIGGER commitments_commitment_fts_au AFTER UPDATE OF title, description
        ON commitments_commitment BEGIN
        INSERT INTO commitments_commitment_fts(commitments_commitment_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO commitments_commitment_fts(rowid, title, description)
        VALUES (new.id, new.title, new.description); END""",
    "INSERT INTO commitments_commitment_fts(commitments_commitment_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS commitments_commitment_fts_ai",
    "DROP TRIGGER IF EXISTS commitments_commitment_fts_ad",
    "DROP TRIGGER IF EXISTS commitments_commitment_fts_au",
    "DROP TABLE IF EXISTS commitments_commitment_fts",
]
PG_FORWARD = [
    "CREATE INDEX commitments_commitment_search ON commitments_commitment USING GIN "
    "(to_tsvector('simple'::regconfig, title || ' ' || description))",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS commitments_commitment_search"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0003_initial")]
    operations = [migrations.RunPython(forward, backward)]
