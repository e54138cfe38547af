"""The partner finder now reads the commitments' vectors of the one index that
``commitments.duplicates`` keeps (kind ``commitment``): its own copies (kind
``portal_commitment``) are deleted."""

from django.db import migrations


def forget_own_copies(apps, schema_editor):
    apps.get_model("similarity", "Vector").objects.filter(kind="portal_commitment").delete()
    apps.get_model("similarity", "IndexRequest").objects.filter(
        kind="portal_commitment"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_facts_themes_version"),
        ("similarity", "0002_index_backlog"),
    ]

    operations = [migrations.RunPython(forget_own_copies, migrations.RunPython.noop)]
