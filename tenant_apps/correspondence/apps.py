"""App configuration for correspondence: emails written from a demand, and their replies."""

from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "tenant_apps.correspondence"
    label = "correspondence"
    verbose_name = "courriels des demandes"

    def ready(self):
        from tenant_apps.correspondence import signals  # noqa: F401
