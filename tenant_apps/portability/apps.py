"""App configuration for data portability: a porteur's data, a whole town's archive."""

from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "tenant_apps.portability"
    label = "portability"
    verbose_name = "portabilité des données"
