"""The "Programme managers" group: people given it in the admin (Users → Groups) may create
programmes in the console (``programmes.add_programme``, programmes/rules.py), without being
platform staff."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Programme managers"


def create_group(apps, schema_editor):
    # Permissions are made after all migrations of a fresh database: make the one we need now.
    programmes = apps.get_app_config("programmes")
    had = getattr(programmes, "models_module", None)
    programmes.models_module = True  # create_permissions skips an app without models
    try:
        create_permissions(programmes, apps=apps, verbosity=0)
    finally:
        programmes.models_module = had
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="programmes", codename="add_programme"
    )
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_programme_stakeholder_categories"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_group, delete_group)]
