"""App configuration for townsite."""

from django.apps import AppConfig


class TownsiteConfig(AppConfig):
    name = "tenant_apps.townsite"
    label = "townsite"
    verbose_name = "Site de la collectivité"
