"""App configuration for premises."""

from django.apps import AppConfig


class PremisesConfig(AppConfig):
    name = "tenant_apps.premises"
    label = "premises"
    verbose_name = "Locaux"

    def ready(self):
        from tenant_apps.premises import catalogue, signals

        signals.connect()
        catalogue.connect()
