"""The addresses ProConnect must know for each host: the callback after a login and the
home page after a logout, for the national site and every reachable town."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from tenants.models import Territory


class Command(BaseCommand):
    help = (
        "Affiche les adresses de retour à déclarer à ProConnect (redirect_uris et "
        "post_logout_redirect_uris) : une de chaque par hôte, site national et villes."
    )

    def handle(self, **options):
        callback = reverse("proconnect_callback")
        hosts = [
            Territory.objects.get(schema_name=settings.PUBLIC_SCHEMA_NAME),
            *Territory.objects.reachable().order_by("slug"),
        ]
        self.stdout.write("redirect_uris")
        for territory in hosts:
            self.stdout.write(territory.url(callback))
        self.stdout.write("\npost_logout_redirect_uris")
        for territory in hosts:
            self.stdout.write(territory.url("/"))
