"""App configuration for demands."""

from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "tenant_apps.demands"
    label = "demands"
    verbose_name = "Demandes"

    def ready(self):
        import tenant_apps.demands.signals  # noqa: F401
