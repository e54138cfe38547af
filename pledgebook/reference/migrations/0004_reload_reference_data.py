from django.db import migrations

from pledgebook.reference.loading import load_reference_data


def load(apps, schema_editor):
    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_country_intermediate_region")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
