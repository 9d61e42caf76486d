"""The ready email templates in the towns that exist when this migration runs (towns
created later get them from signals.give_new_town_its_templates)."""

from django.db import migrations

from tenant_apps.correspondence.ready import READY_TEMPLATES


def add_ready_templates(apps, schema_editor):
    EmailTemplate = apps.get_model("correspondence", "EmailTemplate")
    EmailTemplate.objects.bulk_create(
        [EmailTemplate(name=name, subject=subject, body=body) for name, subject, body in READY_TEMPLATES],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0001_initial")]

    operations = [migrations.RunPython(add_ready_templates, migrations.RunPython.noop)]
