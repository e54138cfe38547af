"""PostgreSQL: the commitment's facets, ``facets text[]`` (``type:<code>``, ``theme:<id>``,
``goal:<number>``, ``country:<iso2>``), kept by statement-level triggers on the four link
tables, with a GIN index over the public commitments: the directory's filters read it, so the
text match and the filters combine in the indexes (commitments/search.py).  SQLite reads the
link tables.  Safe to run again (a database where it was tried by hand)."""

from django.db import migrations

LINKS = {
    "commitments_commitment_types": "'type:' || commitmenttype_id",
    "commitments_commitment_themes": "'theme:' || theme_id",
    "commitments_commitment_goals": "'goal:' || goal_id",
    "commitments_commitment_countries": "'country:' || country_id",
}
FACETS_OF_LINKS = " UNION ALL ".join(
    f"SELECT commitment_id, {value} FROM {table}" for table, value in LINKS.items()
)
FACETS_OF_ROW = " UNION ALL ".join(
    f"SELECT {value} FROM {table} WHERE commitment_id = c.id" for table, value in LINKS.items()
)

PG_FORWARD = [
    "ALTER TABLE commitments_commitment ADD COLUMN IF NOT EXISTS facets text[] NOT NULL "
    "DEFAULT '{}'",
    # The commitments whose links a statement changed: locked first, so that a concurrent
    # change of the same commitment's links has committed before they are read again (each
    # statement of the function reads what is committed when it starts).
    f"""
    CREATE OR REPLACE FUNCTION commitments_refresh_facets(ids bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM commitments_commitment WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        UPDATE commitments_commitment c
        SET facets = coalesce((SELECT array_agg(f ORDER BY f) FROM ({FACETS_OF_ROW}) s(f)), '{{}}')
        WHERE c.id = ANY(ids);
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION commitments_links_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM commitments_refresh_facets(ARRAY(SELECT DISTINCT commitment_id FROM new_links));
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM commitments_refresh_facets(ARRAY(SELECT DISTINCT commitment_id FROM old_links));
        ELSE
            PERFORM commitments_refresh_facets(ARRAY(
                SELECT commitment_id FROM old_links UNION SELECT commitment_id FROM new_links
            ));
        END IF;
        RETURN NULL;
    END $$
    """,
    *(
        statement
        for table in LINKS
        for statement in (
            f"DROP TRIGGER IF EXISTS facets_inserted ON {table}",
            f"DROP TRIGGER IF EXISTS facets_deleted ON {table}",
            f"DROP TRIGGER IF EXISTS facets_updated ON {table}",
            f"CREATE TRIGGER facets_inserted AFTER INSERT ON {table} REFERENCING NEW TABLE AS "
            "new_links FOR EACH STATEMENT EXECUTE FUNCTION commitments_links_changed()",
            f"CREATE TRIGGER facets_deleted AFTER DELETE ON {table} REFERENCING OLD TABLE AS "
            "old_links FOR EACH STATEMENT EXECUTE FUNCTION commitments_links_changed()",
            f"CREATE TRIGGER facets_updated AFTER UPDATE ON {table} REFERENCING OLD TABLE AS "
            "old_links NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION "
            "commitments_links_changed()",
        )
    ),
    # The existing links, in one pass (rows already filled are left).
    f"""
    UPDATE commitments_commitment c SET facets = agg.f FROM (
        SELECT commitment_id, array_agg(f ORDER BY f) AS f FROM ({FACETS_OF_LINKS}) s(commitment_id, f)
        GROUP BY commitment_id
    ) agg WHERE c.id = agg.commitment_id AND c.facets = '{{}}'
    """,
    # Partial: over the public rows, so that a filter's plan needs no index of the status
    # (780,000 entries at 1,000,000: 41 ms of 81); and only where ``facets <> '{}'``, which the
    # filters state (search.facet) and nothing else does: without it a search without filters
    # read the whole index as its list of public rows (809 ms).
    "CREATE INDEX IF NOT EXISTS commitments_commitment_public_facets ON commitments_commitment "
    "USING GIN (facets) WHERE status IN ('confirmed', 'featured') AND facets <> '{}'",
]
PG_BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS facets_{event} ON {table}"
        for table in LINKS
        for event in ("inserted", "deleted", "updated")
    ),
    "DROP FUNCTION IF EXISTS commitments_links_changed()",
    "DROP FUNCTION IF EXISTS commitments_refresh_facets(bigint[])",
    "DROP INDEX IF EXISTS commitments_commitment_public_facets",
    "ALTER TABLE commitments_commitment DROP COLUMN IF EXISTS facets",
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
    dependencies = [("commitments", "0008_country_links_by_country")]
    operations = [migrations.RunPython(forward, backward)]
