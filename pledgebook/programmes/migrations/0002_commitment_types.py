from django.db import migrations

TYPES = [
    ("financial", "Financial", "Support the realisation of an action with money."),
    ("advocacy", "Advocacy", "Amplify and mobilise support for transformative change."),
    ("policy", "Policy", "Translate an action into concrete policy change."),
    ("programmatic", "Programmatic", "Deliver programmes, services, research or other actions."),
]


def load(apps, schema_editor):
    CommitmentType = apps.get_model("programmes", "CommitmentType")
    for position, (code, name, description) in enumerate(TYPES):
        CommitmentType.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
