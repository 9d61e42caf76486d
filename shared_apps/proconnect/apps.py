"""App configuration for ProConnect."""

from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "shared_apps.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"

    def ready(self):
        import shared_apps.proconnect.signals  # noqa: F401
