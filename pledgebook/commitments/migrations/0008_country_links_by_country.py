"""An index of the commitments' country links by country, then commitment: the directory's and
the API's country filter reads a country's commitment ids from the index alone (an index-only
scan) instead of visiting a link-table page for each (docs/BENCHMARKS.md, issue 14).  Built
without locking the table on PostgreSQL (``CONCURRENTLY``: outside a transaction)."""

from django.db import migrations

NAME = "commitments_country_commitment"
TABLE = "commitments_commitment_countries"


def forward(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS {NAME} ON {TABLE} (country_id, commitment_id)"
    )


def backward(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("commitments", "0007_comaker_declined")]
    operations = [migrations.RunPython(forward, backward)]
