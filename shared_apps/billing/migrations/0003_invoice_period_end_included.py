"""An invoice's period ends on the last day of its month, included: invoices issued while
it ended on the next month's first day (excluded) are brought to that day."""

from datetime import timedelta

from django.db import migrations, models


def end_on_the_last_day(apps, schema_editor):
    Invoice = apps.get_model("billing", "Invoice")
    for invoice in Invoice.objects.filter(period_end__day=1).exclude(
        period_end=models.F("period_start")
    ):
        invoice.period_end -= timedelta(days=1)
        invoice.save(update_fields=["period_end"])


class Migration(migrations.Migration):

    dependencies = [
        ("billing", "0002_plans"),
    ]

    operations = [
        migrations.AlterField(
            model_name="invoice",
            name="period_end",
            field=models.DateField(verbose_name="au (inclus)"),
        ),
        migrations.RunPython(end_on_the_last_day, migrations.RunPython.noop),
    ]
