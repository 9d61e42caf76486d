"""Load (or refresh) the communes and EPCI shipped with the code."""

import time

from django.core.management.base import BaseCommand

from shared_apps.referential.loading import load_territories
from shared_apps.referential.models import Commune


class Command(BaseCommand):
    help = "Charge les communes et les EPCI du référentiel officiel (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si le référentiel est déjà chargé.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Commune.objects.exists():
            self.stdout.write("Référentiel déjà chargé.")
            return
        started = time.perf_counter()
        communes, epcis = load_territories()
        self.stdout.write(
            f"{communes} communes et {epcis} EPCI chargés en {time.perf_counter() - started:.1f} s."
        )
