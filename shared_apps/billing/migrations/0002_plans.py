"""The plans offered at launch (data: edited later from the console or the admin)."""

from django.db import migrations

PLANS = [
    ("programme", "Programmes nationaux (Action Cœur de Ville, Petites Villes de Demain)", 0, None,
     "Gratuit pour les collectivités des programmes nationaux."),
    ("commune", "Commune", 9000, 5, "Communes hors programmes : 90 € HT par mois, 5 membres."),
    ("epci", "Intercommunalité", 25000, 15, "EPCI : 250 € HT par mois, 15 membres."),
]


def create_plans(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, name, price, seats, description in PLANS:
        Plan.objects.update_or_create(
            code=code,
            defaults={"name": name, "monthly_price_cents": price, "max_staff": seats,
                      "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(create_plans, migrations.RunPython.noop)]
