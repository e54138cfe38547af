"""An index in the directory's and the API's order (``exports.ORDERING``: submitted last first,
then the newest id) over the public commitments: the first page of an unfiltered or broad list
reads 25 index entries instead of sorting every public commitment (692 ms at 1,000,000 on
PostgreSQL).  PostgreSQL only: SQLite refuses NULLS LAST in an index, and its 1,000,000 run
was not made again after this change, so no index is added there unmeasured."""

from django.db import migrations

WHERE = "WHERE status IN ('confirmed', 'featured')"
INDEX = {"postgresql": "(submitted_at DESC NULLS LAST, id DESC)"}


def forward(apps, schema_editor):
    columns = INDEX.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS commitments_public_order ON commitments_commitment "
            f"{columns} {WHERE}"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor in INDEX:
        schema_editor.execute("DROP INDEX IF EXISTS commitments_public_order")


class Migration(migrations.Migration):
    dependencies = [("commitments", "0009_facets")]
    operations = [migrations.RunPython(forward, backward)]
