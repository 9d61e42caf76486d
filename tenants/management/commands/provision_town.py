"""Create a town from the command line: its row, domain and schema, from the snapshot."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.enums import TerritoryKind, TerritoryStatus
from tenants.provisioning import provision_territory


class Command(BaseCommand):
    help = "Crée une collectivité (ligne, domaine et schéma) à partir du gabarit."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("name")
        parser.add_argument("--kind", choices=TerritoryKind.values, default=TerritoryKind.COMMUNE)
        parser.add_argument("--code", default="", help="Code INSEE (commune) ou SIREN (EPCI)")
        parser.add_argument("--siren", default=None)
        parser.add_argument(
            "--status", choices=TerritoryStatus.values, default=TerritoryStatus.PRE_OPENING
        )

    def handle(self, *args, slug, name, kind, code, siren, status, **options):
        started = time.perf_counter()
        try:
            territory = provision_territory(
                name=name, slug=slug, kind=kind, official_code=code, siren=siren, status=status
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            f"{territory.name} créée en {(time.perf_counter() - started) * 1000:.0f} ms : "
            f"{territory.url()}"
        )
