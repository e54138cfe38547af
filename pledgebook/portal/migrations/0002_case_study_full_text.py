"""Full-text search of case studies (see ``portal/hub/search.py``): an FTS5 external-content
table kept in step by triggers on SQLite, a GIN expression index on PostgreSQL.  Written by
hand, like ``coalitions/0003_full_text_search``: keep it when the portal's migrations are
regenerated."""

from django.db import migrations

COLUMNS = "title, summary, problem, approach, results"
NEW = "new.title, new.summary, new.problem, new.approach, new.results"
OLD = "old.title, old.summary, old.problem, old.approach, old.results"
TABLE = "portal_casestudy"
FTS = "portal_casestudy_fts"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        {COLUMNS}, content='{TABLE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF {COLUMNS} ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
        INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
PG_DOCUMENT = (
    "to_tsvector('simple'::regconfig, title || ' ' || summary || ' ' || problem || ' ' "
    "|| approach || ' ' || results)"
)
PG_FORWARD = [f"CREATE INDEX portal_casestudy_search ON {TABLE} USING GIN ({PG_DOCUMENT})"]
PG_BACKWARD = ["DROP INDEX IF EXISTS portal_casestudy_search"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
