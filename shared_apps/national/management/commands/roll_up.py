"""Compute every reachable town's figures now (the scheduler does it nightly)."""

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from shared_apps.national.tasks import roll_up_town
from tenants.models import Territory


class Command(BaseCommand):
    help = "Calcule tout de suite les chiffres de chaque collectivité pour la console."

    def handle(self, *args, **options):
        towns = list(Territory.objects.reachable().values_list("schema_name", flat=True))
        for schema_name in towns:
            with schema_context(schema_name):
                roll_up_town()
        self.stdout.write(f"Chiffres de {len(towns)} collectivité(s) calculés.")
