"""App configuration for the partner network."""

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "tenant_apps.network"
    label = "network"
    verbose_name = "réseau de partenaires"

    def ready(self):
        from tenant_apps.network import signals  # noqa: F401
