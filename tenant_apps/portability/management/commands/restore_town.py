"""Restore a town's archive (the ZIP its admins or the ANCT console download) into an
empty space of the same town: `manage.py restore_town <slug> <archive.zip>`."""

from django.core.management.base import BaseCommand, CommandError

from tenant_apps.portability.restore import RestoreError, restore_town_archive
from tenants.models import Territory


class Command(BaseCommand):
    help = "Restaure l’archive d’une collectivité dans son espace vide."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="identifiant de la collectivité (ex. : draguignan)")
        parser.add_argument("archive", help="chemin du fichier ZIP")

    def handle(self, slug, archive, **options):
        town = Territory.objects.towns().filter(slug=slug).first()
        if town is None:
            raise CommandError(f"Aucune collectivité « {slug} ».")
        try:
            counts, files = restore_town_archive(archive, town)
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {archive}") from None
        except RestoreError as error:
            raise CommandError(str(error)) from None
        rows = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{town.name} : {rows} lignes dans {len(counts)} tables "
                f"et {files} fichiers restaurés."
            )
        )
