"""Install the reference data shipped in ``pledgebook/reference/data/*.csv``."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from pledgebook.reference.loading import load_reference_data


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
