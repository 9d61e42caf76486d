"""Load the demo (the four towns of the first experiment) and print their addresses and logins."""

from django.core.management.base import BaseCommand

from tenants.demo import demo_summary, load_demo


class Command(BaseCommand):
    help = (
        "Charge la démonstration : Draguignan, Bastia, Saint-Lary-Soulan et "
        "Vallauris-Golfe-Juan, leurs partenaires et des comptes de test. Sans effet si elle "
        "est déjà chargée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--summary-only", action="store_true", help="Afficher les adresses et les comptes."
        )

    def handle(self, *args, summary_only=False, **options):
        if not summary_only:
            load_demo(stdout=self.stdout)
        self.stdout.write(demo_summary())
